import { createHash } from 'node:crypto';
import type { ClusterSpec } from '../model/spec.js';
import { writeOwnedFile } from '../process/files.js';
import type { RunAs } from '../process/run-as.js';
import { replicaPassfile } from '../render/postgres/replication-conninfo.js';
import { pgpoolFiles } from './config-files.js';
import { secretValue, type LocalSecrets } from './secrets.js';

// The only files that hold passwords, all 0600 inside the local directory: the replicas'
// passfile (primary_conninfo names it), Pgpool's pool_passwd and pcp.conf, and the PCP
// password file pcp_attach_node reads.

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
    const files = pgpoolFiles(pool.paths.configDir);
    // SCRAM towards the backends needs the password itself: TEXT entries, never md5.
    const poolPasswd = pool.poolPasswdRoles.map((role) => `${role.name}:TEXT${secretValue(secrets, role.passwordEnv)}\n`).join('');
    writeOwnedFile(files.poolPasswd, poolPasswd, runAs, 0o600);
    const pcpUser = pool.pcp.user;
    const pcpPassword = secretValue(secrets, pcpUser.passwordEnv);
    const md5 = createHash('md5').update(pcpPassword).digest('hex');
    writeOwnedFile(files.pcp, `${pcpUser.name}:${md5}\n`, runAs, 0o600);
    const pcpPass = ['127.0.0.1', pool.pcp.port, pcpUser.name, pcpPassword].map(passField).join(':');
    writeOwnedFile(files.pcpPass, `${pcpPass}\n`, undefined, 0o600);
    writeOwnedFile(files.failoverPass, replicationLine, runAs, 0o600);
  }
}
