import type { Primary } from '../primary.js';
import type { HbaEntry } from '../spec.js';
import type { ResolveContext } from './context.js';
import { readOnlyNodes } from './haproxy.js';

// Who may connect where. Every entry is as narrow as the traffic it serves, and each file ends
// with a reject-all, so anything not listed is refused rather than left to a default.

/**
 * pg_hba.conf of a node serving `primary`'s database: the primary itself or one of its
 * replicas, which admit the same clients (read-only now, read-write once promoted).
 */
export function postgresHba(ctx: ResolveContext, primary: Primary): HbaEntry[] {
  const { superuser, replication } = ctx.roles;
  const net = ctx.plan.clientNet;
  const owner = ctx.ownerOf(primary) ?? null;
  const database = primary.props.database;
  const allowedClients = primary.props.allowedClients;
  const entries: HbaEntry[] = [
    { type: 'local', database: 'all', user: superuser.name, method: 'trust', comment: 'bootstrap and maintenance as the superuser, over the socket only' },
    { type: 'host', database: 'replication', user: replication.name, address: net, method: 'scram-sha-256', comment: 'streaming replication and base backups' },
  ];
  if (ctx.replicas.some((r) => r.props.primary === primary)) {
    entries.push({ type: 'host', database: 'postgres', user: replication.name, address: net, method: 'scram-sha-256', comment: 'failover: promote, checkpoint, slots; pg_rewind reads the new primary' });
  }
  for (const pool of ctx.pgpools) {
    const checkUser = ctx.checkUserOf(pool);
    entries.push({ type: 'host', database: 'postgres', user: checkUser.name, address: net, method: 'scram-sha-256', comment: 'Pgpool streaming and health checks' });
  }
  // An HAProxy logs in to check the nodes itself: over the nodes, or for its read-only standbys
  // over Pgpool (for read-write it only checks Pgpool's port).
  for (const h of ctx.haproxies.filter((h) => Array.isArray(h.props.upstream) || readOnlyNodes(h).length > 0)) {
    entries.push({ type: 'host', database: 'postgres', user: h.props.checkUser, address: net, method: 'trust', comment: `${h.id}: pg_is_in_recovery() check role, no privileges` });
  }
  // A primary outside this cluster has no owner here, so no application entry.
  if (owner && database) {
    // Under synth up every client is on 127.0.0.1: allowedClients describes the compose network.
    for (const address of ctx.target === 'compose' && allowedClients ? allowedClients : [net]) {
      entries.push({ type: 'host', database, user: owner.name, address, method: 'scram-sha-256', comment: 'application clients', ...(allowedClients ? { fromAllowedClients: true as const } : {}) });
    }
  }
  entries.push({ type: 'host', database: 'all', user: 'all', address: '0.0.0.0/0', method: 'reject', comment: 'nothing else' });
  return entries;
}

/**
 * pool_hba.conf: the application roles only, from the client network only. Pgpool's own check
 * role has a pool_passwd entry too (for its checks), but no business coming in as a client.
 */
export function pgpoolHba(ctx: ResolveContext): HbaEntry[] {
  const clients = [...new Set(ctx.applicationRoles.map((r) => r.name))].join(',') || 'all';
  return [
    { type: 'local', database: 'all', user: clients, method: 'scram-sha-256', comment: 'clients over the socket' },
    {
      type: 'host',
      database: 'all',
      user: clients,
      address: ctx.plan.clientNet,
      method: 'scram-sha-256',
      comment: ctx.target === 'compose' ? 'clients inside the cluster network (HAProxy, published ports)' : 'local clients',
    },
    { type: 'host', database: 'all', user: 'all', address: '0.0.0.0/0', method: 'reject', comment: 'nothing else' },
  ];
}
