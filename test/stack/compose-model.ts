// docker-compose.yml read as data: services, their bind mounts, and the way back from a path
// inside a container to the file in this repository that is mounted there. Both stack tests
// use it, so the native test runs on exactly the files the compose stack would mount.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';

export const COMPOSE_FILE = path.join(REPO, 'docker-compose.yml');

export interface Mount {
  /** Absolute host path for a bind mount, the volume name otherwise. */
  source: string;
  target: string;
  bind: boolean;
  readOnly: boolean;
  /** The mode list after the second colon: ro, rw, z, Z... */
  options: string[];
}

export interface Port {
  /** The host address the port is published on; compose's default is every interface. */
  hostIp: string;
  published: number;
  target: number;
}

export interface Service {
  name: string;
  image: string;
  command: string[];
  environment: Record<string, string>;
  workingDir: string | undefined;
  mounts: Mount[];
  ports: Port[];
  /** `test` as compose has it: [CMD, ...argv], [CMD-SHELL, script] or a script. */
  healthcheck: { test: string[] } | undefined;
  /** Service name -> the condition compose waits for before starting this one. */
  dependsOn: Record<string, string>;
  /** Compose profiles that start it; empty for the default stack's services. */
  profiles: string[];
}

interface RawService {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean> | string[];
  working_dir?: string;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  profiles?: string[];
}

function environment(raw: RawService['environment']): Record<string, string> {
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, String(v)]));
}

function mount(spec: string): Mount {
  const [source = '', target = '', mode = 'rw'] = spec.split(':');
  const bind = source.startsWith('.') || source.startsWith('/');
  const options = mode.split(',');
  return { source: bind ? path.resolve(REPO, source) : source, target, bind, readOnly: options.includes('ro'), options };
}

/** `[host_ip:]published:target[/protocol]`; IPv4 host addresses only, which is all the stack uses. */
function port(spec: string): Port {
  const parts = String(spec)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const hostIp = parts.length === 3 ? parts.shift()! : '0.0.0.0';
  const [published, target] = parts.map(Number);
  return { hostIp, published: published!, target: target ?? published! };
}

function dependsOn(raw: RawService['depends_on']): Record<string, string> {
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(raw ?? {}).map(([n, d]) => [n, d.condition ?? 'service_started']));
}

/**
 * Compose's variable substitution: `${NAME}`, `${NAME:-default}` (default when unset or empty),
 * `${NAME-default}` (default when unset) and `$$` for a literal `$`, read from `env`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
    (_whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return '$';
      const value = env[name];
      if (op === ':-') return value === undefined || value === '' ? fallback! : value;
      if (op === '-') return value ?? fallback!;
      return value ?? '';
    },
  );
}

/** The compose file as a user gets it with `env` in their shell (none of its variables set, by default). */
export function loadCompose(file = COMPOSE_FILE, env: Record<string, string | undefined> = {}): Map<string, Service> {
  // Merge keys (`<<: *node`) are part of the compose format.
  const doc = parse(interpolate(readFileSync(file, 'utf8'), env), { merge: true }) as { services: Record<string, RawService> };
  const services = new Map<string, Service>();
  for (const [name, raw] of Object.entries(doc.services)) {
    const test = raw.healthcheck?.test;
    services.set(name, {
      name,
      image: raw.image ?? '',
      command: typeof raw.command === 'string' ? raw.command.split(/\s+/) : (raw.command ?? []),
      environment: environment(raw.environment),
      workingDir: raw.working_dir,
      mounts: (raw.volumes ?? []).map(mount),
      ports: (raw.ports ?? []).map(port),
      healthcheck:
        test === undefined || raw.healthcheck?.disable ? undefined : { test: typeof test === 'string' ? ['CMD-SHELL', test] : test },
      dependsOn: dependsOn(raw.depends_on),
      profiles: raw.profiles ?? [],
    });
  }
  return services;
}

export function service(services: Map<string, Service>, name: string): Service {
  const s = services.get(name);
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

/**
 * The repository path mounted at `containerPath` in `svc` (the deepest bind mount that covers
 * it), or undefined when no bind mount does (a named volume or the image's own files).
 */
export function hostPath(svc: Service, containerPath: string): string | undefined {
  const covering = svc.mounts
    .filter((m) => containerPath === m.target || containerPath.startsWith(`${m.target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!covering?.bind) return undefined;
  return path.join(covering.source, path.relative(covering.target, containerPath));
}

/**
 * Debian's docker-compose 1.29 (installed by scripts/ensure-tools.sh) on docker-compose.yml,
 * with `env` added to the environment it interpolates from.
 */
/** `NAME=value` lines of a compose env file (`--env-file`), comments and blank lines skipped. */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq < 1) throw new Error(`${file}: not NAME=value: ${t}`);
    out[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return out;
}

export async function dockerCompose(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ok: boolean; output: string; stdout: string }> {
  await execa('bash', [path.join(REPO, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
  const which = await execa('sh', ['-c', 'command -v docker-compose'], { reject: false });
  if (which.exitCode !== 0) throw new Error('docker-compose is not installed and scripts/ensure-tools.sh could not install it');
  const r = await execa(which.stdout.trim(), ['-f', COMPOSE_FILE, ...args], { cwd: REPO, env, reject: false, all: true });
  return { ok: r.exitCode === 0, output: r.all ?? '', stdout: r.stdout };
}

/** Every value of a key ending in `_file` (Alertmanager's secret fields) anywhere in `doc`. */
export function fileFields(doc: unknown, out: string[] = []): string[] {
  if (Array.isArray(doc)) for (const v of doc) fileFields(v, out);
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k.endsWith('_file') && typeof v === 'string') out.push(v);
      else fileFields(v, out);
    }
  }
  return out;
}
