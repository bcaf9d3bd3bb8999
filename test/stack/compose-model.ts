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
}

export interface Service {
  name: string;
  image: string;
  command: string[];
  environment: Record<string, string>;
  mounts: Mount[];
  /** Published port -> container port. */
  ports: Array<{ published: number; target: number }>;
}

interface RawService {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean> | string[];
  volumes?: string[];
  ports?: string[];
}

function environment(raw: RawService['environment']): Record<string, string> {
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, String(v)]));
}

function mount(spec: string): Mount {
  const [source = '', target = '', mode = 'rw'] = spec.split(':');
  const bind = source.startsWith('.') || source.startsWith('/');
  return { source: bind ? path.resolve(REPO, source) : source, target, bind, readOnly: mode.split(',').includes('ro') };
}

function port(spec: string): { published: number; target: number } {
  const [published, target] = String(spec).split(':').map(Number);
  return { published: published!, target: target ?? published! };
}

export function loadCompose(file = COMPOSE_FILE): Map<string, Service> {
  // Merge keys (`<<: *node`) are part of the compose format.
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, RawService> };
  const services = new Map<string, Service>();
  for (const [name, raw] of Object.entries(doc.services)) {
    services.set(name, {
      name,
      image: raw.image ?? '',
      command: typeof raw.command === 'string' ? raw.command.split(/\s+/) : (raw.command ?? []),
      environment: environment(raw.environment),
      mounts: (raw.volumes ?? []).map(mount),
      ports: (raw.ports ?? []).map(port),
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

/** `docker-compose config`, Debian's 1.29 (installed by scripts/ensure-tools.sh). */
export async function dockerCompose(...args: string[]): Promise<{ ok: boolean; output: string }> {
  await execa('bash', [path.join(REPO, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
  const which = await execa('sh', ['-c', 'command -v docker-compose'], { reject: false });
  if (which.exitCode !== 0) throw new Error('docker-compose is not installed and scripts/ensure-tools.sh could not install it');
  const r = await execa(which.stdout.trim(), ['-f', COMPOSE_FILE, ...args], { cwd: REPO, reject: false, all: true });
  return { ok: r.exitCode === 0, output: r.all ?? '' };
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
