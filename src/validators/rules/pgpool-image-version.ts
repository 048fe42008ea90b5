import { defineRule } from '../rule.js';

/** The major.minor in a Pgpool image reference: `pgpool/pgpool:4.4`, `registry/pgpool/pgpool:4.5.2`. */
export function pgpoolImageVersion(image: string): string | null {
  const match = /(?:^|\/)pgpool[a-z0-9-]*:(\d+\.\d+)(?:[.\-_]|$)/.exec(image);
  return match ? (match[1] as string) : null;
}

export const pgpoolImageMatchesVersion = defineRule({
  code: 'PGS113',
  severity: 'error',
  title: "A Pgpool image override runs the cluster's pgpoolVersion",
  why: "pgsynth writes pgpool.conf for pgpoolVersion, and Pgpool renamed parameters between releases (socket_dir became unix_socket_directories in 4.4). Pgpool ignores a key it does not know with only an INFO line, so a 4.3 image reading a 4.5 file puts its sockets in /tmp and runs on.",
  fix: "remove the image override or use the tag of pgpoolVersion, e.g. 'pgpool/pgpool:4.5'",
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, image: 'pgpool/pgpool:4.3' }) // pgpoolVersion 4.5",
  targets: ['compose'],
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      const version = pgpoolImageVersion(pool.image);
      if (version === null || version === spec.pgpoolVersion) return [];
      return [
        {
          node: pool,
          field: 'image',
          message: `image '${pool.image}' runs Pgpool-II ${version} but the cluster's pgpoolVersion is ${spec.pgpoolVersion}`,
          fix: `use 'pgpool/pgpool:${spec.pgpoolVersion}', or set pgpoolVersion: '${version}' on the Cluster`,
        },
      ];
    });
  },
});
