import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupContext } from './context.js';
import type { RepositoryInfo } from './info.js';

// A restore replays every WAL segment from its backup's start to the target: one missing
// segment ends recovery there. pgBackRest's verify checks the files it finds; this checks that
// none is missing between the oldest backup and the newest archived segment of each timeline.

/** 16 MB segments (the default wal_segment_size): 256 per xlog id. */
const SEGMENTS_PER_ID = 0x100;
const SEGMENT = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})-[0-9a-f]{40}/;

interface Segment {
  timeline: number;
  seq: number;
}

function parse(name: string): Segment | null {
  const m = SEGMENT.exec(name) ?? /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/.exec(name);
  if (!m) return null;
  return { timeline: parseInt(m[1]!, 16), seq: parseInt(m[2]!, 16) * SEGMENTS_PER_ID + parseInt(m[3]!, 16) };
}

export function segmentName(timeline: number, seq: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  return `${hex(timeline)}${hex(Math.floor(seq / SEGMENTS_PER_ID))}${hex(seq % SEGMENTS_PER_ID)}`;
}

/** Archived segments of one archive id (e.g. `15-1`) in a posix repository, by timeline. */
function archivedSegments(archiveDir: string): Map<number, Set<number>> {
  const byTimeline = new Map<number, Set<number>>();
  if (!existsSync(archiveDir)) return byTimeline;
  for (const prefix of readdirSync(archiveDir).filter((d) => /^[0-9A-F]{16}$/.test(d))) {
    for (const file of readdirSync(join(archiveDir, prefix))) {
      const seg = parse(file);
      if (!seg || file.includes('.partial')) continue;
      const set = byTimeline.get(seg.timeline) ?? new Set<number>();
      set.add(seg.seq);
      byTimeline.set(seg.timeline, set);
    }
  }
  return byTimeline;
}

/**
 * Missing segments, each named, between the first segment a kept backup needs (the oldest
 * backup's start on its timeline, else a timeline's first archived segment) and the newest
 * archived segment of that timeline. Empty when the archive is continuous, or not a posix repository.
 */
export function missingWalSegments(ctx: BackupContext, info: RepositoryInfo): string[] {
  const repo = ctx.backup.repository;
  if (repo.type !== 'posix') return [];
  const missing: string[] = [];
  for (const { id } of info.archive) {
    const byTimeline = archivedSegments(join(repo.path, 'archive', ctx.backup.stanza, id));
    const oldest = info.backups.find((b) => b.archiveStart !== null);
    const start = oldest?.archiveStart ? parse(oldest.archiveStart) : null;
    for (const [timeline, present] of byTimeline) {
      const seqs = [...present].sort((a, b) => a - b);
      let from = start && start.timeline === timeline ? start.seq : seqs[0]!;
      // A backup's own WAL must be there even when it is the first one on its timeline.
      for (const b of info.backups) {
        const s = b.archiveStart ? parse(b.archiveStart) : null;
        if (s && s.timeline === timeline) from = Math.min(from, s.seq);
      }
      const to = seqs.at(-1)!;
      for (let seq = from; seq <= to; seq++) if (!present.has(seq)) missing.push(segmentName(timeline, seq));
    }
  }
  return missing;
}
