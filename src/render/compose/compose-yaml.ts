import { Document, isMap, isSeq, Scalar, type YAMLMap } from 'yaml';
import type { ClusterSpec } from '../../model/spec.js';
import { MARKER_TEXT } from '../marker.js';
import { composeSecrets } from './secrets.js';
import { backupService, withBackup } from './backup-service.js';
import { namedVolumes } from './volumes.js';
import { haproxyService, pgpoolService, postgresService, type ComposeService } from './services.js';

// docker-compose.yml: only `services`, `volumes` and `networks`, no `version:` and no top-level
// `name:` (docker-compose 1.29 rejects the latter, and both v1 and v2 read this form as the
// compose specification). Services are not given container names: the project name prefixes them.

const SERVICE_ROLE: Record<'primary' | 'replica' | 'pgpool' | 'haproxy' | 'backup', string> = {
  primary: 'PostgreSQL primary: entrypoint.sh runs initdb on an empty volume and init.sh until it once succeeded, then postgres',
  replica: 'PostgreSQL standby: entrypoint.sh copies the primary with pg_basebackup on its first start',
  pgpool: 'Pgpool-II: pooling, writes to the primary, reads balanced over the standbys',
  haproxy: 'HAProxy: the read-write and read-only entry points for clients',
  backup: 'pgBackRest: creates the stanza, then takes the scheduled backups of the primary (backup.sh)',
};

/** Lists a human reads as one command (entrypoint, command, healthcheck test) stay on one line. */
const FLOW_KEYS = new Set(['entrypoint', 'command', 'test']);

function styleNodes(map: YAMLMap): void {
  for (const pair of map.items) {
    const key = pair.key instanceof Scalar ? String(pair.key.value) : '';
    if (isSeq(pair.value)) {
      const flow = FLOW_KEYS.has(key);
      if (flow) pair.value.flow = true;
      // Quoted like the JSON form of a command; "host:port:port" in plain style can even read as
      // a base-60 number to YAML 1.1 parsers such as docker-compose 1.29's.
      if (flow || key === 'ports') for (const item of pair.value.items) if (item instanceof Scalar) item.type = Scalar.QUOTE_DOUBLE;
    }
    if (isMap(pair.value)) styleNodes(pair.value);
  }
}

function services(spec: ClusterSpec): Array<{ id: string; role: keyof typeof SERVICE_ROLE; service: ComposeService }> {
  const backup = backupService(spec);
  return [
    ...spec.postgres.map((node) => ({ id: node.id, role: node.role, service: withBackup(spec, node, postgresService(spec, node)) })),
    ...spec.pgpools.map((pool) => ({ id: pool.id, role: 'pgpool' as const, service: pgpoolService(spec, pool) })),
    ...spec.haproxies.map((proxy) => ({ id: proxy.id, role: 'haproxy' as const, service: haproxyService(spec, proxy) })),
    ...(backup && spec.backup ? [{ id: spec.backup.id, role: 'backup' as const, service: backup }] : []),
  ];
}

function network(spec: ClusterSpec): Record<string, unknown> {
  const ipam = spec.network.subnet === null ? {} : { ipam: { config: [{ subnet: spec.network.subnet }] } };
  return { driver: 'bridge', ...ipam };
}

/** The label whose change makes `docker compose up -d` recreate a service. */
export const CONFIG_HASH_LABEL = 'pgsynth.config-hash';

/**
 * The compose file of the cluster: one service per node, one data volume per PostgreSQL node.
 * `configHashes` (service id → hash of its generated files) become a label on each service, so
 * `docker compose up -d` after a synth restarts exactly the services whose files changed.
 */
export function renderComposeYaml(spec: ClusterSpec, configHashes: Record<string, string> = {}): string {
  if (spec.target !== 'compose') throw new Error(`${spec.path}: docker-compose.yml is rendered from the compose address plan, not '${spec.target}'`);
  const all = services(spec);
  const labelled = (id: string, service: ComposeService) =>
    configHashes[id] === undefined ? service : { ...service, labels: { [CONFIG_HASH_LABEL]: configHashes[id] } };
  const doc = new Document({
    services: Object.fromEntries(all.map(({ id, service }) => [id, labelled(id, service)])),
    volumes: Object.fromEntries(namedVolumes(spec).map((v) => [v.name, {}])),
    networks: { [spec.network.name]: network(spec) },
    ...(composeSecrets(spec) ? { secrets: composeSecrets(spec) } : {}),
  });
  const passwords = spec.secretFiles ? 'Passwords are files in secrets/ (see .env.example).' : 'Passwords come from .env (see .env.example).';
  doc.commentBefore = ` ${MARKER_TEXT}\n ${spec.path}: PostgreSQL ${spec.postgresVersion} streaming replication. ${passwords}`;
  const servicesMap = doc.get('services', true);
  if (!isMap(servicesMap)) throw new Error('services must render as a mapping');
  servicesMap.items.forEach((pair, i) => {
    const entry = all[i];
    if (entry && pair.key instanceof Scalar) pair.key.commentBefore = ` ${SERVICE_ROLE[entry.role]}`;
  });
  if (isMap(doc.contents)) styleNodes(doc.contents);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
