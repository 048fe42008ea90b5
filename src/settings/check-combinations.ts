// Settings the server refuses together: its check hooks, or its start-up, look at other parameters.
import { findSetting, loadCatalog, type PostgresMajor } from './catalog.js';
import { formatConfNumber } from './format.js';
import { SETTING_CODES, showValue, type SettingIssue, type SettingValue } from './issue.js';
import { parseBool, parseInteger } from './units.js';

/** check_log_stats / check_stage_log_stats: the summary and the per-stage statistics exclude each other. */
const STAGE_STATISTICS = ['log_parser_stats', 'log_planner_stats', 'log_executor_stats'];

/** Server processes are counted against MAX_BACKENDS (2^18 - 1); the +1 is the autovacuum launcher. */
const BACKEND_COUNTS = ['max_connections', 'autovacuum_max_workers', 'max_worker_processes', 'max_wal_senders'];
const MAX_BACKENDS = 262143;

type Given = Map<string, { name: string; value: SettingValue }>;

function isOn(value: SettingValue | undefined): boolean {
  if (value === undefined) return false;
  return typeof value === 'boolean' ? value : parseBool(String(value)) === true;
}

function statisticsConflict(given: Given): SettingIssue[] {
  const statement = given.get('log_statement_stats');
  const stagesOn = STAGE_STATISTICS.filter((stage) => isOn(given.get(stage)?.value));
  if (!statement || !isOn(statement.value) || stagesOn.length === 0) return [];
  return [{
    name: statement.name,
    code: SETTING_CODES.conflict,
    message: `"log_statement_stats" cannot be on together with ${stagesOn.map((stage) => `"${stage}"`).join(', ')}: the server refuses the combination`,
    fix: 'turn off "log_statement_stats", or turn off log_parser_stats, log_planner_stats and log_executor_stats',
  }];
}

function tooManyBackends(major: PostgresMajor, given: Given): SettingIssue[] {
  const named = BACKEND_COUNTS.filter((name) => given.has(name));
  if (named.length === 0) return [];
  let total = 1;
  for (const name of BACKEND_COUNTS) {
    const value = given.get(name)?.value ?? findSetting(loadCatalog(major), name)!.bootValue!;
    const parsed = parseInteger(typeof value === 'number' ? formatConfNumber(value) : String(value), null);
    if (!parsed.ok) return []; // already reported as a wrong value
    total += parsed.value;
  }
  if (total <= MAX_BACKENDS) return [];
  const first = given.get(named[0]!)!;
  return [{
    name: first.name,
    code: SETTING_CODES.conflict,
    message: `"${first.name}" = ${showValue(first.value)} makes max_connections + autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders = ${total}, above the server's limit of ${MAX_BACKENDS} processes`,
    fix: `lower ${named.map((name) => `"${name}"`).join(', ')} so that the sum stays at most ${MAX_BACKENDS}`,
  }];
}

/** Problems between settings; the values of parameters not given are the built-in defaults. */
export function checkCombinations(major: PostgresMajor, settings: Record<string, SettingValue>): SettingIssue[] {
  // Names match case-insensitively, as in the server.
  const given: Given = new Map(Object.entries(settings).map(([name, value]) => [name.toLowerCase(), { name, value }]));
  return [...statisticsConflict(given), ...tooManyBackends(major, given)];
}
