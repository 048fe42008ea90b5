import { frontendSessions } from '../../model/ceilings.js';
import { defineRule } from '../rule.js';

export const haproxyMaxConnCoversServers = defineRule({
  code: 'PGS147',
  severity: 'error',
  title: "HAProxy's maxConn admits at least the sessions its servers take",
  why: "HAProxy's global maxconn caps every client connection it holds, queued ones included. Below the sessions its servers take (serverMaxConn per server, Pgpool's num_init_children by default), HAProxy stops accepting while the servers still have room: clients wait in the kernel's listen queue, where no timeout, stats or queue applies, and the stack never reaches its own declared ceiling.",
  fix: 'raise maxConn (2000 by default) to at least the sessions of its servers, better several times that so the excess can queue',
  example: "new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, maxConn: 10 }) // numInitChildren 32",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      // Frontends over the same servers share them: count each server list once.
      const lists = new Map<string, typeof h.readWrite>();
      for (const f of [h.readWrite, ...(h.readOnly ? [h.readOnly] : [])]) lists.set(JSON.stringify(f.servers), f);
      const uncapped = { ...h, maxConn: Number.MAX_SAFE_INTEGER };
      const needed = [...lists.values()].reduce((sum, f) => sum + frontendSessions(spec, uncapped, f).sessions, 0);
      if (h.maxConn >= needed) return [];
      return [
        {
          node: h,
          field: 'maxConn',
          message: `maxConn is ${h.maxConn} but its servers take ${needed} sessions at once: HAProxy stops accepting clients before the stack is full`,
          fix: `set maxConn to at least ${needed} (several times that leaves room for the queue)`,
        },
      ];
    });
  },
});
