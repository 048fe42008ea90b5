import { describe, expect, it } from 'vitest';
import { resolveLocalSpec } from '../../src/local/local-spec.js';
import { checkSocketPaths } from '../../src/local/preflight.js';
import { localSocketPaths, SOCKET_PATH_MAX_BYTES } from '../../src/model/socket-paths.js';
import { shop, withCode } from '../validators/fixtures.js';

// PGS171 and synth up's preflight draw the line at the same byte: one declaration of the limit.

/** A localDir whose longest socket path is exactly `bytes` long. */
function localDirFor(bytes: number): string {
  const probe = `/tmp/${'x'.repeat(10)}`;
  const longest = Math.max(...localSocketPaths(resolveLocalSpec(shop().cluster, { localDir: probe })).map((s) => Buffer.byteLength(s)));
  return `/tmp/${'x'.repeat(10 + bytes - longest)}`;
}

describe('socket path limit', () => {
  it('lists every socket synth up makes: one per PostgreSQL node, two per Pgpool, one per HAProxy', () => {
    const spec = resolveLocalSpec(shop().cluster, { localDir: '/tmp/s' });
    expect(spec.haproxies.length).toBeGreaterThan(0);
    expect(localSocketPaths(spec)).toHaveLength(spec.postgres.length + 2 * spec.pgpools.length + spec.haproxies.length);
    expect(localSocketPaths(spec)).toContain(`/tmp/s/run/${spec.haproxies[0]!.id}.sock`);
  });

  it.each([
    [SOCKET_PATH_MAX_BYTES, false],
    [SOCKET_PATH_MAX_BYTES + 1, true],
  ])('a longest socket of %i bytes: refused by both PGS171 and the preflight = %s', (bytes, refused) => {
    const localDir = localDirFor(bytes);
    const { cluster } = shop();
    expect(withCode(cluster, 'PGS171', { localDir }).length > 0).toBe(refused);
    const check = () => checkSocketPaths(resolveLocalSpec(cluster, { localDir }));
    if (refused) expect(check).toThrow(/longer than the 107 bytes/);
    else expect(check).not.toThrow();
  });
});
