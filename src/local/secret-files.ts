import type { ClusterSpec } from '../model/spec.js';
import { writeOwnedFile } from '../process/files.js';
import type { RunAs } from '../process/run-as.js';
import { replicaPassfile } from '../render/postgres/replication-conninfo.js';
import { pgpoolFiles } from './config-files.js';
import { secretValue, type LocalSecrets } from './secrets.js';

// Files holding passwords that no generated script writes, 0600 inside the local directory: the
// replicas' passfile (primary_conninfo names it) and the PCP password file synth's own
// pcp_attach_node reads. Pgpool's pool_passwd, pcp.conf and failover.pgpass are written by its
// entrypoint.sh, the same script the compose target runs (pgpool-service.ts).

/** A field of .pgpass / .pcppass: `:` and `\` are escaped with a backslash. */
function passField(value: string | number): string {
  return String(value).replace(/[\\:]/g, (c) => `\\${c}`);
}

export function writeSecretFiles(spec: ClusterSpec, secrets: LocalSecrets, runAs: RunAs): void {
  const replication = spec.roles.replication;
  const replicationPassword = secretValue(secrets, replication.passwordEnv);
  // Any peer and database: a node streams from whichever peer is primary, and pg_rewind and the
  // failover script log in to `postgres` as the replication role.
  const replicationLine = `*:*:*:${passField(replication.name)}:${passField(replicationPassword)}\n`;
  for (const node of spec.postgres) {
    if (node.member) writeOwnedFile(replicaPassfile(spec, node), replicationLine, runAs, 0o600);
  }
  for (const pool of spec.pgpools) {
    const pcpUser = pool.pcp.user;
    const pcpPass = ['127.0.0.1', pool.pcp.port, pcpUser.name, secretValue(secrets, pcpUser.passwordEnv)].map(passField).join(':');
    writeOwnedFile(pgpoolFiles(pool.paths.configDir).pcpPass, `${pcpPass}\n`, undefined, 0o600);
  }
}
