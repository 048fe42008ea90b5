import { defineRule } from '../rule.js';

export const rewindNeedsFullPageWrites = defineRule({
  code: 'PGS212',
  severity: 'error',
  title: 'Nodes that can swap roles keep full_page_writes on (pg_rewind needs it)',
  why: 'A former primary rejoins as a standby through pg_rewind, which refuses a data directory written with full_page_writes = off ("target server needs to use either data checksums or wal_log_hints = on" covers wal_log_hints, which pgsynth turns on; full_page_writes is the other prerequisite). Without it the old primary can only be cloned anew.',
  fix: 'remove full_page_writes from settings (it is on by default)',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, settings: { full_page_writes: false } }) // with a replica",
  check(spec) {
    return spec.postgres.flatMap((n) => {
      const value = Object.entries(n.settings).find(([key]) => key.toLowerCase() === 'full_page_writes')?.[1];
      if (!n.member || (value !== false && value !== 'off')) return [];
      return [{ node: n, field: 'settings.full_page_writes', message: 'full_page_writes is off: pg_rewind cannot bring this node back as a standby after a failover' }];
    });
  },
});
