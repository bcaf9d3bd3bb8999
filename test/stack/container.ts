// A compose service's own command run the way its container runs it, with no Docker engine:
// in a private mount and network namespace (unshare), chrooted into a root folder that holds
// the host's /usr read-only (the stand-in for the image), a fresh /root (so npm's cache starts
// empty, as in a new container), and the service's bind mounts and volumes at their container
// paths with their `:ro` flags, so a write there fails with EROFS exactly as in the container.
// The environment is the image's PATH and HOME plus the service's `environment`; the network
// is the namespace's own loopback, so services listen on their compose ports and addresses
// (0.0.0.0:9095) without touching the host's. The node running the tests stands in for the
// image's node, so running the tests on another Node runs the services on it too.
//
// Needs root, as CI runs (mounts and chroot), and unshare, nsenter, mount, chroot (util-linux,
// coreutils) and ip (iproute2, which scripts/ensure-tools.sh installs).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { REPO } from '../helpers/cli.js';
import type { Mount, Service } from './compose-model.js';
import { Proc } from './processes.js';

/** The node image's PATH, after the directory the test's own node is mounted in. */
const NODE_DIR = '/opt/sloforge-test-node/bin';
const IMAGE_PATH = `${NODE_DIR}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/** Single-quoted for sh. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Extra {
  /** Mounts the service does not have in compose, e.g. an npm cache for an offline install. */
  mounts?: Mount[];
  env?: Record<string, string>;
}

export interface Outcome {
  exitCode: number | undefined;
  output: string;
}

export class ComposeSandbox {
  private readonly envs = new Map<Proc, Record<string, string>>();

  /** `dir`: an empty scratch folder that holds each container's root and each named volume. */
  constructor(readonly dir: string) {}

  static async check(): Promise<void> {
    if (process.getuid?.() !== 0) throw new Error('running compose commands in namespaces needs root (CI runs as root)');
    await execa('bash', [path.join(REPO, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
    for (const bin of ['unshare', 'nsenter', 'mount', 'chroot', 'ip']) {
      const r = await execa('sh', ['-c', `command -v ${bin}`], { reject: false });
      if (r.exitCode !== 0)
        throw new Error(
          `${bin} is not installed (scripts/ensure-tools.sh installs iproute2; util-linux and coreutils are in every Debian)`,
        );
    }
  }

  /** The host folder behind a named volume: the same for every service that mounts it. */
  volume(name: string): string {
    const dir = path.join(this.dir, 'volumes', name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Starts a long-running service; stop it with `proc.stop()`. */
  start(svc: Service, extra: Extra = {}): Proc {
    const { args, env } = this.invocation(svc, extra);
    const proc = new Proc(svc.name, 'unshare', args, { env, group: true });
    this.envs.set(proc, env);
    return proc;
  }

  /** Runs a one-shot service to its end. */
  async run(svc: Service, extra: Extra = {}, timeoutMs = 120_000): Promise<Outcome> {
    const { args, env } = this.invocation(svc, extra);
    const r = await execa('unshare', args, { env, extendEnv: false, reject: false, all: true, timeout: timeoutMs });
    return { exitCode: r.exitCode, output: r.all ?? '' };
  }

  /** `docker exec`: `argv` inside the running service's namespaces, root and working folder, with its environment. */
  async exec(proc: Proc, argv: string[]): Promise<Outcome> {
    const pid = proc.child.pid;
    if (pid === undefined) return { exitCode: undefined, output: `${proc.name} did not start` };
    const r = await execa('nsenter', [`--target=${pid}`, '--mount', '--net', '--root', '--wd', '--', ...argv], {
      env: this.envs.get(proc)!,
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 10_000,
    });
    return { exitCode: r.exitCode, output: r.all ?? '' };
  }

  /**
   * Runs the service's healthcheck until it passes, as compose does before a `service_healthy`
   * dependant starts. Throws at once if the service exits first, with its output.
   */
  async waitHealthy(proc: Proc, svc: Service, timeoutMs = 60_000): Promise<Outcome> {
    const test = svc.healthcheck?.test;
    if (!test) throw new Error(`${svc.name} has no healthcheck`);
    const [kind, ...rest] = test;
    const argv = kind === 'CMD' ? rest : kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : undefined;
    if (!argv) throw new Error(`${svc.name}: healthcheck test ${JSON.stringify(test)} is neither CMD nor CMD-SHELL`);
    const deadline = Date.now() + timeoutMs;
    let last: Outcome = { exitCode: undefined, output: '' };
    for (;;) {
      if (proc.exited !== undefined)
        throw new Error(`${svc.name} exited with ${proc.exited} before its healthcheck passed\n${proc.output()}`);
      last = await this.exec(proc, argv);
      if (last.exitCode === 0) return last;
      if (Date.now() > deadline)
        throw new Error(
          `${svc.name}: healthcheck still failing after ${timeoutMs} ms (exit ${last.exitCode}: ${last.output})\n${proc.output()}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private invocation(svc: Service, extra: Extra): { args: string[]; env: Record<string, string> } {
    const root = path.join(this.dir, 'roots', svc.name);
    mkdirSync(root, { recursive: true });
    const env: Record<string, string> = { PATH: IMAGE_PATH, HOME: '/root', HOSTNAME: svc.name, ...svc.environment, ...extra.env };
    const script = [
      'set -e',
      'ip link set lo up',
      `R=${q(root)}`,
      // The container's root lives on a tmpfs that only this namespace sees; the host folder stays empty.
      'mount -t tmpfs -o mode=0755 sloforge-root "$R"',
      // Merged-/usr hosts have /bin, /lib... as links into /usr; others have real folders.
      'for d in bin sbin lib lib32 lib64 libx32; do',
      '  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$R/$d";',
      '  elif [ -d "/$d" ]; then mkdir "$R/$d" && mount --rbind "/$d" "$R/$d" && mount -o remount,bind,ro "$R/$d"; fi',
      'done',
      'mkdir "$R/usr" && mount --rbind /usr "$R/usr" && mount -o remount,bind,ro "$R/usr"',
      // A writable copy, as an image's own /etc is: mounts may target paths under it.
      'cp -a /etc "$R/etc"',
      'mkdir "$R/dev" "$R/proc" "$R/run" "$R/var" && mount --rbind /dev "$R/dev" && mount -t proc proc "$R/proc"',
      'mkdir -m 1777 "$R/tmp" && mkdir -m 0700 "$R/root"',
      `mkdir -p "$R${NODE_DIR}" && touch "$R${NODE_DIR}/node" && mount --bind ${q(process.execPath)} "$R${NODE_DIR}/node"`,
      ...this.mountLines([...svc.mounts, ...(extra.mounts ?? [])]),
      // The node image's entrypoint: a first argument that is an option or no command runs under node.
      `exec chroot "$R" /bin/sh -c ${q(
        'cd "$0" && if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then set -- node "$@"; fi; exec "$@"',
      )} ${q(svc.workingDir ?? '/')} ${svc.command.map(q).join(' ')}`,
    ].join('\n');
    return { args: ['--mount', '--net', '--propagation', 'private', '--', '/bin/sh', '-c', script], env };
  }

  /**
   * Parents before children, as Docker orders them, so /app/node_modules lands on /app. A
   * mount point missing under a read-only parent fails to be made, as it does in Docker.
   */
  private mountLines(mounts: Mount[]): string[] {
    const depth = (p: string) => p.split('/').filter(Boolean).length;
    return [...mounts]
      .sort((a, b) => depth(a.target) - depth(b.target))
      .flatMap((m) => {
        const source = m.bind ? m.source : this.volume(m.source);
        if (!existsSync(source)) throw new Error(`mount source ${source} does not exist`);
        const at = `"$R"${q(m.target)}`;
        const make = statSync(source).isDirectory() ? `mkdir -p ${at}` : `mkdir -p "$(dirname ${at})" && { [ -e ${at} ] || touch ${at}; }`;
        return [`${make} && mount --bind ${q(source)} ${at}${m.readOnly ? ` && mount -o remount,bind,ro ${at}` : ''}`];
      });
  }
}
