import { defineRule } from '../rule.js';
import { durationMs } from '../../model/duration.js';

/** Shorter client/server timeouts cut idle pooled sessions. */
export const MINIMUM_SESSION_TIMEOUT_MS = 60_000;

export const haproxySessionTimeoutsLong = defineRule({
  code: 'PGS146',
  severity: 'warning',
  title: "HAProxy's client and server timeouts allow idle database sessions (at least one minute)",
  why: 'Connection pools and psql sessions sit idle between queries. HAProxy closes a TCP session idle longer than timeout client/server, and the application sees "server closed the connection unexpectedly" on its next query.',
  fix: 'set timeouts.client and timeouts.server to at least the longest idle time of your pools, e.g. 30m (the default)',
  example: "new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, timeouts: { client: '30s', server: '30s' } })",
  check(spec) {
    return spec.haproxies.flatMap((h) =>
      (['client', 'server'] as const).flatMap((side) => {
        const ms = durationMs(h.timeouts[side]);
        if (ms === null || ms >= MINIMUM_SESSION_TIMEOUT_MS) return [];
        return [{ node: h, field: `timeouts.${side}`, message: `timeouts.${side} is ${h.timeouts[side]}: sessions idle longer than that are cut` }];
      }),
    );
  },
});
