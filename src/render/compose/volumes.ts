import type { ClusterSpec } from '../../model/spec.js';
import { CLUSTER_STATE_VOLUME, usesClusterState } from '../cluster-state.js';
import { socketVolumeName } from './backup-service.js';
import { dataVolumeName } from './services.js';

// The named volumes of docker-compose.yml, each with what it holds: compose-yaml.ts declares
// them, and rule PGS197 keeps the one name a config picks (a Backup's repository) off the others.

export interface NamedVolume {
  name: string;
  kind: 'data' | 'cluster-state' | 'repository' | 'socket';
  /** What it holds, for an error naming a clash, e.g. "shop/pg-replica1's socket folder". */
  holds: string;
}

export function namedVolumes(spec: ClusterSpec): NamedVolume[] {
  const volumes: NamedVolume[] = spec.postgres.map((n) => ({ name: dataVolumeName(n), kind: 'data' as const, holds: `${n.path}'s data directory` }));
  if (usesClusterState(spec)) volumes.push({ name: CLUSTER_STATE_VOLUME, kind: 'cluster-state', holds: 'the primary claim (cluster state)' });
  const backup = spec.backup;
  if (backup) {
    if (backup.repository.type === 'posix') volumes.push({ name: backup.repository.volume, kind: 'repository', holds: `${backup.path}'s pgBackRest repository` });
    volumes.push(...spec.postgres.map((n) => ({ name: socketVolumeName(n), kind: 'socket' as const, holds: `${n.path}'s socket folder` })));
  }
  return volumes;
}
