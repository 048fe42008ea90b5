import { join } from 'node:path';
import type { ClusterSpec } from '../model/spec.js';
import { writeOwnedFile } from '../process/files.js';
import { runTool, type RunAs } from '../process/run-as.js';
import { renderPassfileScript } from '../render/postgres/passfile-script.js';
import { pgpoolFiles } from './config-files.js';
import { secretValue, type LocalSecrets } from './secrets.js';

// The files holding passwords, 0600 inside the local directory. Each node's replication password
// file (primary_conninfo names it) is written by passfile.sh, the entrypoints' own lines; Pgpool's
// pool_passwd, pcp.conf and failover.pgpass by its entrypoint.sh (pgpool-service.ts). Only the PCP
// password file synth's own pcp_attach_node reads, a client's, is written here.

/** A field of .pcppass: `:` and `\` are escaped with a backslash. */
function passField(value: string | number): string {
  return String(value).replace(/[\\:]/g, (c) => `\\${c}`);
}

export async function writeSecretFiles(spec: ClusterSpec, secrets: LocalSecrets, runAs: RunAs): Promise<void> {
  const replicationEnv = spec.roles.replication.passwordEnv;
  for (const node of spec.postgres.filter((n) => n.member)) {
    const script = join(node.paths.configDir, 'passfile.sh');
    writeOwnedFile(script, renderPassfileScript(spec, node), runAs, 0o755);
    await runTool('bash', [script], { runAs, env: { [replicationEnv]: secretValue(secrets, replicationEnv) }, timeoutMs: 15_000 });
  }
  for (const pool of spec.pgpools) {
    const pcpUser = pool.pcp.user;
    const pcpPass = ['127.0.0.1', pool.pcp.port, pcpUser.name, secretValue(secrets, pcpUser.passwordEnv)].map(passField).join(':');
    writeOwnedFile(pgpoolFiles(pool.paths.configDir).pcpPass, `${pcpPass}\n`, undefined, 0o600);
  }
}
