import { defineRule } from '../rule.js';
import { durationMs } from '../../model/duration.js';
import { MINIMUM_SESSION_TIMEOUT_MS } from './haproxy-session-timeouts.js';

export const haproxyTimeoutsSymmetric = defineRule({
  code: 'PGS145',
  severity: 'warning',
  title: "HAProxy's client and server timeouts are equal",
  why: 'In TCP mode HAProxy\'s documentation "highly recommends" that the client timeout equal the server timeout: a database session idles on both sides at once, and the shorter of the two cuts it, so the longer one only pretends to allow more.',
  fix: 'set timeouts.client and timeouts.server to the same value, e.g. 30m (the default)',
  example: "new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, timeouts: { client: '30m', server: '1m' } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      const client = durationMs(h.timeouts.client);
      const server = durationMs(h.timeouts.server);
      if (client === null || server === null || client === server) return [];
      // A timeout under a minute is PGS146's mistake; reporting the asymmetry too would repeat it.
      if (Math.min(client, server) < MINIMUM_SESSION_TIMEOUT_MS) return [];
      const longer = client > server ? h.timeouts.client : h.timeouts.server;
      return [
        {
          node: h,
          field: client > server ? 'timeouts.server' : 'timeouts.client',
          message: `timeouts.client is ${h.timeouts.client} but timeouts.server is ${h.timeouts.server}: idle sessions end after the shorter`,
          fix: `set both to ${longer}`,
        },
      ];
    });
  },
});
