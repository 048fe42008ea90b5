import { stringify } from 'ini';
import type { BackupSpec, ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { MARKER_TEXT } from '../marker.js';
import { nodeTitle } from '../postgres/node-title.js';

// pgbackrest.conf of one node, written with the `ini` package. pgBackRest reads values
// verbatim (no quoting, no escapes), so a value `ini` would quote or escape is refused instead.

type Section = Record<string, string | number>;

function repoOptions(backup: BackupSpec): Section {
  const repo = backup.repository;
  const common: Section = { 'repo1-retention-full': backup.retention.full, 'repo1-retention-full-type': 'count' };
  if (backup.retention.diff !== null) common['repo1-retention-diff'] = backup.retention.diff;
  if (backup.retention.archive !== null) {
    common['repo1-retention-archive'] = backup.retention.archive;
    common['repo1-retention-archive-type'] = 'full';
  }
  if (backup.cipherPassEnv !== null) common['repo1-cipher-type'] = 'aes-256-cbc'; // the passphrase comes from conf.d or PGBACKREST_REPO1_CIPHER_PASS
  if (repo.type === 'posix') return { 'repo1-type': 'posix', 'repo1-path': repo.path, ...common };
  return {
    'repo1-type': 's3',
    'repo1-path': repo.path,
    'repo1-s3-bucket': repo.bucket,
    'repo1-s3-endpoint': repo.endpoint,
    'repo1-s3-region': repo.region,
    'repo1-s3-uri-style': repo.uriStyle,
    'repo1-storage-verify-tls': repo.verifyTls ? 'y' : 'n',
    ...common,
  };
}

function globalSection(backup: BackupSpec): Section {
  const section: Section = {
    ...repoOptions(backup),
    'compress-type': backup.compression.type,
    'process-max': backup.processMax,
    'log-path': backup.paths.logDir,
    'lock-path': backup.paths.lockDir,
    'spool-path': backup.paths.spoolDir,
    // Backups start at once instead of waiting for the next checkpoint.
    'start-fast': 'y',
    'log-level-console': 'warn',
  };
  if (backup.compression.level !== null) section['compress-level'] = backup.compression.level;
  return section;
}

function stanzaSection(node: PostgresNodeSpec): Section {
  return { 'pg1-path': node.paths.dataDir, 'pg1-port': node.port.listenPort, 'pg1-socket-path': node.paths.socketDir };
}

function checked(text: string, sections: Record<string, Section>): string {
  for (const [name, section] of Object.entries(sections)) {
    for (const [key, value] of Object.entries(section)) {
      const line = stringify({ [key]: value }, { whitespace: false }).trim();
      if (line !== `${key}=${value}`) {
        throw new Error(`refusing to write ${key}=${JSON.stringify(String(value))} in [${name}] of pgbackrest.conf: pgBackRest would read it differently (${line})`);
      }
    }
  }
  return text;
}

/** pgbackrest.conf of one node: the repository in [global], this node's data directory in [<stanza>]. */
export function renderPgbackrestConf(spec: ClusterSpec, node: PostgresNodeSpec): string {
  const backup = spec.backup;
  if (!backup) throw new Error(`${spec.path}: no Backup construct, so no pgbackrest.conf`);
  const sections = { global: globalSection(backup), [backup.stanza]: stanzaSection(node) };
  const header = [MARKER_TEXT, nodeTitle(spec, node), `backup: ${backup.path}; pgBackRest stanza '${backup.stanza}'`].map((l) => `# ${l}`);
  const body = stringify(sections, { whitespace: false });
  return checked(`${header.join('\n')}\n\n${body.trimEnd()}\n`, sections);
}
