import type { ClusterSpec, HbaEntry, PostgresNodeSpec } from '../../model/spec.js';
import { hbaTable } from '../hba-table.js';
import { markerComment } from '../marker.js';
import { nodeTitle } from './node-title.js';

// pg_hba.conf of one node, from the resolved entries (first match wins). The renderer adds no
// rule of its own; it only refuses entries that would open the server wider than pgsynth ever
// means to, so a bug upstream fails synthesis instead of shipping.

const KEYWORDS = new Set(['all', 'replication', 'sameuser', 'samerole', 'samegroup', 'samehost', 'samenet']);
const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0', 'all']);

/** A database, user or address field: bare when it is a keyword or plain name, else double-quoted. */
function hbaField(value: string): string {
  if (value === '' || /["\0\n\r]/.test(value)) throw new Error(`pg_hba.conf cannot hold the field ${JSON.stringify(value)}`);
  if (KEYWORDS.has(value) || /^[A-Za-z0-9_.:/-]+$/.test(value)) return value;
  return `"${value}"`;
}

function checkEntry(spec: ClusterSpec, node: PostgresNodeSpec, entry: HbaEntry, index: number): void {
  const where = `${node.path} pg_hba.conf entry ${index + 1} (${entry.comment})`;
  if (entry.type === 'local') {
    if (entry.address !== undefined) throw new Error(`${where}: a local entry has no address`);
    return;
  }
  if (entry.address === undefined) throw new Error(`${where}: a ${entry.type} entry needs an address`);
  const isLast = index === node.hba.length - 1;
  // An address the user chose in allowedClients may be /0 (PGS074 warns); pgsynth never opens one itself.
  const userOpened = entry.fromAllowedClients === true && entry.method === 'scram-sha-256';
  if (ANY_ADDRESS.has(entry.address) && !(entry.method === 'reject' && isLast) && !userOpened) {
    throw new Error(`${where}: only the final reject may match every address (${entry.address})`);
  }
  if (entry.method === 'trust') {
    // Only the role of an HAProxy that checks nodes itself: all of them direct, the read-only standbys over Pgpool.
    const checksNodes = (h: ClusterSpec['haproxies'][number]) => [...h.readWrite.servers, ...(h.readOnly?.servers ?? [])].some((s) => s.check !== 'pgpool');
    const checkRoles = new Set(spec.haproxies.filter(checksNodes).map((h) => h.checkUser));
    if (!checkRoles.has(entry.user)) throw new Error(`${where}: trust over TCP is only for the check role of an HAProxy that checks nodes itself, not '${entry.user}'`);
  }
}

/** pg_hba.conf for one node, each entry under the comment that says why it exists. */
export function renderPgHbaConf(spec: ClusterSpec, node: PostgresNodeSpec): string {
  node.hba.forEach((entry, i) => checkEntry(spec, node, entry, i));
  const table = hbaTable(node.hba, (e) => [e.type, hbaField(e.database), hbaField(e.user), e.address === undefined ? '' : hbaField(e.address), e.method]);
  const last = node.hba.at(-1);
  const closing = last?.method === 'reject' && ANY_ADDRESS.has(last.address ?? '') ? '; the last line refuses whatever no line above admits' : '';
  const preamble = [markerComment(), `# ${nodeTitle(spec, node)}`, `# First match wins${closing}.`].join('\n');
  return `${[preamble, ...table].join('\n\n')}\n`;
}
