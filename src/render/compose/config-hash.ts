import { createHash } from 'node:crypto';
import { comparePaths, type GeneratedFile } from '../generated-file.js';

/**
 * Per service, a short hash of the generated files in its folder (`<id>/...`): what the compose
 * file labels each service with, so a changed file means a changed service definition.
 */
export function configHashes(serviceIds: readonly string[], files: readonly GeneratedFile[]): Record<string, string> {
  const byService = new Map<string, GeneratedFile[]>();
  for (const file of files) {
    const slash = file.path.indexOf('/');
    if (slash < 0) continue;
    const id = file.path.slice(0, slash);
    byService.set(id, [...(byService.get(id) ?? []), file]);
  }
  return Object.fromEntries(
    serviceIds.map((id) => {
      const hash = createHash('sha256');
      const own = (byService.get(id) ?? []).sort((a, b) => comparePaths(a.path, b.path));
      for (const file of own) hash.update(`${file.path}\0${file.content}\0`);
      return [id, hash.digest('hex').slice(0, 16)];
    }),
  );
}
