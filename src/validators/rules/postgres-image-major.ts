import { defineRule } from '../rule.js';

/** The major version in an official-style image reference: `postgres:16`, `docker.io/library/postgres:16.4-bookworm`. */
export function imageMajor(image: string): number | null {
  const match = /(?:^|\/)postgres:(\d+)(?:[.\-_]|$)/.exec(image);
  return match ? Number(match[1]) : null;
}

export const postgresImageMatchesVersion = defineRule({
  code: 'PGS024',
  severity: 'error',
  title: "A postgres image override runs the cluster's postgresVersion",
  why: 'Physical replication copies data files byte for byte, so primary and standbys must run one major version ("database files are incompatible with server"); pgsynth also writes postgresql.conf for postgresVersion, and parameters renamed between majors stop the server ("unrecognized configuration parameter").',
  fix: "remove the image override or use the tag of postgresVersion, e.g. 'postgres:17-bookworm'",
  example: "new Cluster({ name: 'shop', postgresVersion: 17 });\nnew Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, image: 'postgres:16' });",
  targets: ['compose'],
  check(spec) {
    const wrong = spec.postgres.filter((n) => {
      const major = imageMajor(n.image);
      return major !== null && major !== spec.postgresVersion;
    });
    const first = wrong[0];
    if (!first) return [];
    const fix = (major: number | null) =>
      `use 'postgres:${spec.postgresVersion}-bookworm' (or set postgresVersion: ${major} on the Cluster if every node runs ${major})`;
    // One image on every node comes from the cluster's images.postgres: report it there, once.
    if (wrong.length === spec.postgres.length && wrong.length > 1 && wrong.every((n) => n.image === first.image)) {
      const major = imageMajor(first.image);
      return [{ node: spec, field: 'images.postgres', message: `every node runs image '${first.image}', PostgreSQL ${major}, but postgresVersion is ${spec.postgresVersion}`, fix: fix(major) }];
    }
    return wrong.map((n) => {
      const major = imageMajor(n.image);
      return { node: n, field: 'image', message: `image '${n.image}' runs PostgreSQL ${major} but the cluster's postgresVersion is ${spec.postgresVersion}`, fix: fix(major) };
    });
  },
});
