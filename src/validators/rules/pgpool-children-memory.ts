import { defineRule } from '../rule.js';

const LARGE = 256;
/** Measured: about 200 MB PSS for 32 children. */
const MB_PER_CHILD = 6;

export const pgpoolChildrenMemory = defineRule({
  code: 'PGS109',
  severity: 'warning',
  title: 'Pgpool numInitChildren stays within what memory allows (warning above 256)',
  why: 'Pgpool forks every child at start and each costs about 6 MB (num_init_children = 32 measured at ~200 MB PSS). Hundreds of children reserve gigabytes whether clients come or not; HAProxy in front can queue excess clients instead.',
  fix: 'size numInitChildren to the concurrent sessions you expect, and let HAProxy queue the rest',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, numInitChildren: 1000 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      if (pool.numInitChildren <= LARGE) return [];
      const mb = pool.numInitChildren * MB_PER_CHILD;
      return [{ node: pool, field: 'numInitChildren', message: `numInitChildren is ${pool.numInitChildren}: about ${mb} MB (${MB_PER_CHILD} MB per child) before the first client connects` }];
    });
  },
});
