import path from 'node:path';

/** A path as users think of it: relative inside the working directory, absolute outside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
}
