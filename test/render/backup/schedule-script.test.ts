// The compose backup service's scheduler (backup.sh) run by the real bash: its crontab matching
// and which backup a minute calls for, minute by minute, against what cron would do.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Backup, Cluster, Primary } from '../../../src/index.js';
import type { BackupProps } from '../../../src/index.js';
import { backedUpNode } from '../../../src/render/backup/paths.js';
import { renderScheduleScript } from '../../../src/render/backup/schedule-script.js';

const dir = mkdtempSync(join(tmpdir(), 'pgsynth-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(schedule: BackupProps['schedule']): string {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
  new Primary(cluster, 'pg-primary', { hostPort: 5611 });
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
  // shellcheck of backup.sh: test/golden/real-tools.test.ts (fixture backup-encrypted).
});
