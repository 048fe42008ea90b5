// The compose backup service's scheduler (backup.sh) run by the real bash: its crontab matching
// and which backup a minute calls for, minute by minute, against what cron would do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Backup, Cluster, Primary, Replica } from '../../../src/index.js';
import type { BackupProps } from '../../../src/index.js';
import { backedUpNode } from '../../../src/render/backup/paths.js';
import { renderScheduleScript } from '../../../src/render/backup/schedule-script.js';

const dir = mkdtempSync(join(tmpdir(), 'pgsynth-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(schedule: BackupProps['schedule']): string {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611 });
  new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
  new Backup(cluster, 'backup', { schedule });
  const spec = cluster.resolve({ target: 'compose' });
  const path = join(dir, `backup-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(path, renderScheduleScript(spec, backedUpNode(spec)));
  return path;
}

/** `due` for each minute ('MM HH DD MM W', W = date +%w), by sourcing the functions only. */
function dueAt(path: string, minutes: string[]): string[] {
  const body = minutes.map((m) => `NOW=(${m}); echo "$(due)"`).join('\n');
  const out = execFileSync('bash', ['-c', `source ${JSON.stringify(path)} --functions-only\n${body}`], { encoding: 'utf8' });
  return out.split('\n').slice(0, minutes.length);
}

describe('backup.sh schedule', () => {
  it('runs the defaults as cron would: full at 01:00 on Sunday, diff at 01:00 Monday to Saturday, nothing else', () => {
    const path = script(undefined);
    // 2026-11-29 is a Sunday (date +%w = 0), 2026-11-30 a Monday.
    expect(dueAt(path, ['00 01 29 11 0', '00 01 30 11 1', '00 01 05 12 6', '01 01 29 11 0', '00 02 30 11 1', '59 00 29 11 0'])).toEqual(['full', 'diff', 'diff', '', '', '']);
  });

  it('reads steps, ranges, lists and Sunday as 7; full wins over diff and incr in the same minute', () => {
    const path = script({ full: '0 3 * * 7', diff: '10-30/10 1,13 * * *', incr: '*/15 * * * *' });
    expect(dueAt(path, ['00 03 29 11 0', '20 13 30 11 1', '25 13 30 11 1', '45 22 30 11 1', '00 03 30 11 1', '07 09 30 11 1'])).toEqual(['full', 'diff', '', 'incr', 'incr', '']);
  });

  it('with both day fields restricted, runs when either matches (cron); null schedules never run', () => {
    const path = script({ full: '0 1 1 * 0', diff: null, incr: null });
    expect(dueAt(path, ['00 01 01 12 2', '00 01 29 11 0', '00 01 02 12 3'])).toEqual(['full', 'full', '']);
  });
});

/** Runs BODY after sourcing the functions; stdout, and the exit status of BODY's last command. */
function withFunctions(path: string, body: string): { out: string; status: number } {
  const r = spawnSync('bash', ['-c', `source ${JSON.stringify(path)} --functions-only\n${body}`], { encoding: 'utf8' });
  return { out: r.stdout + r.stderr, status: r.status ?? -1 };
}

describe('backup.sh: which node it backs up', () => {
  // ask is what runs psql (run for real by test/compose/backup.test.ts); here it is a table of answers.
  const answers = (table: Record<string, string>) =>
    `NODES=(${Object.keys(table).join(' ')})\nask() { case $1 in ${Object.entries(table)
      .map(([node, a]) => (a === 'down' ? `${node}) echo 'psql: error: connection failed'; echo 'No such file'; return 2 ;;` : `${node}) echo ${a} ;;`))
      .join(' ')} esac; }`;

  it('takes the one node answering f, and logs what every node answered', () => {
    const r = withFunctions(script(undefined), `${answers({ 'pg-primary': 'down', 'pg-replica1': 'f', 'pg-replica2': 't' })}\nfind_primary && echo "chose $PRIMARY"`);
    expect(r.out).toMatch(/primary now: pg-replica1 \(pg-primary: no answer \(psql: error: connection failed No such file\); pg-replica1: primary; pg-replica2: standby\)/);
    expect(r.out).toContain('chose pg-replica1');
  });

  it('refuses when two nodes answer as primary (naming both) or none does', () => {
    const two = withFunctions(script(undefined), `${answers({ 'pg-primary': 'f', 'pg-replica1': 'f' })}\nfind_primary`);
    expect(two.status).toBe(1);
    expect(two.out).toContain('2 nodes answer as primary: pg-primary pg-replica1; backing up none of them (pg-primary: primary; pg-replica1: primary)');
    const none = withFunctions(script(undefined), `${answers({ 'pg-primary': 'down', 'pg-replica1': 't' })}\nfind_primary`);
    expect(none.status).toBe(1);
    expect(none.out).toMatch(/no node answers as primary \(pg-primary: no answer .*; pg-replica1: standby\)/);
  });

  it("shows the chosen node's data at the data directory path, one link per entry, and removes only links", () => {
    const root = mkdtempSync(join(dir, 'nodes-'));
    const mount = (id: string) => join(root, id);
    for (const id of ['a', 'b']) {
      mkdirSync(join(mount(id), 'global'), { recursive: true });
      writeFileSync(join(mount(id), 'global', 'pg_control'), id);
      writeFileSync(join(mount(id), 'PG_VERSION'), '15');
    }
    writeFileSync(join(mount('b'), 'standby.signal'), '');
    const view = join(root, 'view');
    mkdirSync(view);
    const tables = `DATA_DIR=([a]=${view} [b]=${view}) DATA_AT=([a]=${mount('a')} [b]=${mount('b')})`;
    expect(withFunctions(script(undefined), `${tables}\nshow_data b`).status).toBe(0);
    expect(readdirSync(view).sort()).toEqual(['PG_VERSION', 'global', 'standby.signal']);
    // Then a: b's links go, standby.signal included.
    expect(withFunctions(script(undefined), `${tables}\nshow_data a`).status).toBe(0);
    expect(readdirSync(view).sort()).toEqual(['PG_VERSION', 'global']);
    expect(readlinkSync(join(view, 'global'))).toBe(join(mount('a'), 'global'));
    expect(readFileSync(join(view, 'global', 'pg_control'), 'utf8')).toBe('a');
    // Something there it did not make: left alone, and no backup.
    writeFileSync(join(view, 'note.txt'), 'mine');
    const refused = withFunctions(script(undefined), `${tables}\nshow_data b`);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain(`${view} holds ${join(view, 'note.txt')}, which this service did not make: left alone, no backup`);
    expect(readFileSync(join(view, 'note.txt'), 'utf8')).toBe('mine');
    expect(lstatSync(join(view, 'note.txt')).isSymbolicLink()).toBe(false);
    // A node whose data is not readable here: named.
    const missing = withFunctions(script(undefined), `DATA_DIR=([c]=${view}) DATA_AT=([c]=${join(root, 'c')})\nshow_data c`);
    expect(missing.out).toContain(`cannot read c's data at ${join(root, 'c')}`);
    expect(existsSync(join(view, 'note.txt'))).toBe(true);
  });

  it("prepare: asks every node, shows the chosen one's data, runs CHECKPOINT on it, and points pgBackRest at it", () => {
    const root = mkdtempSync(join(dir, 'prepare-'));
    const mount = join(root, 'b');
    mkdirSync(join(mount, 'global'), { recursive: true });
    writeFileSync(join(mount, 'global', 'pg_control'), 'b');
    const view = join(root, 'view');
    mkdirSync(view);
    const calls = join(root, 'calls');
    const body = [
      'NODES=(a b)',
      `DATA_DIR=([a]=${view} [b]=${view}) DATA_AT=([a]=${join(root, 'a')} [b]=${mount}) PORT=([a]=5432 [b]=5433) SOCKET_AT=([a]=/run/a [b]=/run/b)`,
      `ask() { echo "$1 $2" >>${calls}; case "$1 $2" in "a SELECT"*) echo t ;; "b SELECT"*) echo f ;; esac; }`,
      'prepare && printf "%s\\n" "${PG1[@]}"',
    ].join('\n');
    const r = withFunctions(script(undefined), body);
    expect(r.status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['a SELECT pg_is_in_recovery()', 'b SELECT pg_is_in_recovery()', 'b CHECKPOINT']);
    expect(r.out.trim().split('\n').slice(-3)).toEqual([`--pg1-path=${view}`, '--pg1-port=5433', '--pg1-socket-path=/run/b']);
    expect(readlinkSync(join(view, 'global'))).toBe(join(mount, 'global'));
  });

  it('the one-shot mode takes only full, diff or incr', () => {
    const r = spawnSync('bash', [script(undefined), 'once', 'weekly'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: backup.sh once full|diff|incr');
  });
  // shellcheck of backup.sh: test/golden/real-tools.test.ts (fixture backup-encrypted).
});
