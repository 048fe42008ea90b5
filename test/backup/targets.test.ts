import { describe, expect, it } from 'vitest';
import { maxPostgresMajor } from '../../src/local/backup/context.js';
import { restoreTarget } from '../../src/local/backup/restore.js';
import { segmentName } from '../../src/local/backup/wal-continuity.js';

describe('restore --to', () => {
  it('latest replays the whole archive; a label restores that backup alone and promotes', () => {
    expect(restoreTarget('latest')).toEqual([]);
    expect(restoreTarget('20261130-143933F')).toEqual(['--set=20261130-143933F', '--type=immediate', '--target-action=promote']);
    expect(restoreTarget('20261130-143933F_20261130-143937I')).toEqual(['--set=20261130-143933F_20261130-143937I', '--type=immediate', '--target-action=promote']);
  });

  it('takes a time only with its zone', () => {
    for (const t of ['2026-11-30 14:05:00+00', '2026-11-30 14:05:00.123456+00', '2026-11-30T14:05:00+01:00', '2026-11-30 14:05Z', '2026-11-30 14:05:00 UTC']) {
      expect(restoreTarget(t), t).toEqual(['--type=time', `--target=${t}`, '--target-action=promote']);
    }
    for (const t of ['2026-11-30 14:05:00', '2026-11-30', 'yesterday', "2026-11-30 14:05:00+00' --delta"]) {
      expect(() => restoreTarget(t), t).toThrow(/with its zone/);
    }
  });
});

describe('WAL segment names', () => {
  it('count 256 segments of 16 MB per xlog id', () => {
    expect(segmentName(1, 0xff)).toBe('0000000100000000000000FF');
    expect(segmentName(1, 0x100)).toBe('000000010000000100000000');
    expect(segmentName(2, 0x1234)).toBe('000000020000001200000034');
  });
});

describe('pgBackRest and PostgreSQL majors', () => {
  it('knows which release supports which major', () => {
    expect(maxPostgresMajor('2.45')).toBe(15);
    expect(maxPostgresMajor('2.46')).toBe(16);
    expect(maxPostgresMajor('2.53.1')).toBe(17);
    expect(maxPostgresMajor('3.0')).toBe(17);
  });
});
