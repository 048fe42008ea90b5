// The fenced blocks of a markdown document, what the docs suite does with each, and how a console
// transcript is compared with real output. Blocks come from marked's lexer (a maintained CommonMark
// parser already in the tree), so indented fences inside list items count like any other.
import { marked, type Tokens } from 'marked';

export type BlockKind = 'shell' | 'console' | 'ts' | 'other';

export interface DocBlock {
  /** 1-based line of the block's first content line in the document. */
  line: number;
  lang: string;
  kind: BlockKind;
  text: string;
  /** Why the suite does not run it: from `<!-- docs-test: skip REASON -->` right above the fence. */
  skip?: string;
}

const KINDS: Record<string, BlockKind> = { sh: 'shell', bash: 'shell', shell: 'shell', console: 'console', ts: 'ts', typescript: 'ts' };
const MARKER = /^<!--\s*docs-test:\s*skip\b\s*(.*?)\s*-->\s*$/s;

export function docBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let marker: string | undefined;
  let cursor = 0;
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === 'html') {
      const match = MARKER.exec((token as Tokens.HTML).text.trim());
      marker = match ? match[1] || 'no reason given' : undefined;
      return;
    }
    if (token.type === 'space') return;
    if (token.type !== 'code') {
      // a marker applies to the block right below it only
      if (token.type !== 'text' || (token as Tokens.Text).text.trim() !== '') marker = undefined;
      return;
    }
    const code = token as Tokens.Code;
    const lang = (code.lang ?? '').trim().split(/\s+/)[0] ?? '';
    const first = code.text.split('\n')[0] ?? '';
    const at = markdown.indexOf(first, cursor);
    cursor = at < 0 ? cursor : at + first.length;
    const line = at < 0 ? 0 : markdown.slice(0, at).split('\n').length;
    blocks.push({ line, lang, kind: KINDS[lang] ?? 'other', text: code.text, ...(marker !== undefined ? { skip: marker } : {}) });
    marker = undefined;
  });
  return blocks;
}

export interface TranscriptStep {
  command: string;
  /** The exit code the doc says the command has (`# exits 3` at the end of the line); 0 otherwise. */
  exitCode: number;
  expected: string[];
}

/** `$ command` lines and the output lines under each. */
export function transcriptSteps(text: string): TranscriptStep[] {
  const steps: TranscriptStep[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('$ ')) {
      const command = line.slice(2);
      const exit = /#.*\bexits (\d+)\b/.exec(command);
      steps.push({ command, exitCode: exit ? Number(exit[1]) : 0, expected: [] });
    } else {
      const step = steps.at(-1);
      if (!step) throw new Error(`console block: output before the first $ command: ${line}`);
      step.expected.push(line);
    }
  }
  return steps;
}

/** What legitimately varies between runs, made equal on both sides. */
export function normalize(lines: string[], replacements: [RegExp | string, string][] = []): string[] {
  const out = lines.map((raw) => {
    let line = raw;
    for (const [from, to] of replacements) line = typeof from === 'string' ? line.split(from).join(to) : line.replace(from, to);
    return (
      line
        .replace(/\(\d+(\.\d+)? m?s\)/g, '(N s)') // step durations
        .replace(/\bin \d+(\.\d+)? s\b/g, 'in N s')
        .replace(/\bpid \d+/g, 'pid N')
        .replace(/^(\s+\S+\s+)\d+(\s+\d+\s+(primary|standby|pgpool|haproxy|\?|-))/, '$1N$2') // the PID column of synth status
        .replace(/\b\d+(\.\d+)? (B|kB|MB) behind/g, 'N behind')
        .replace(/replay lag \d+ ms( \(idle\))?/g, 'replay lag N ms')
        // synth status's SESSIONS column: Pgpool opens and closes backend sessions on its own
        .replace(/^(\s+\S+\s+\S+\s+\d+\s+(primary|standby|pgpool)\b.*\s)\d+\/(\d+)$/, '$1N/$3')
        .replace(/\brw \d+\/(\d+), ro \d+\/(\d+), \d+ queued$/, 'rw N/$1, ro N/$2, N queued')
        .replace(/ {2,}/g, ' ') // column widths follow the values above
        .trimEnd()
    );
  });
  while (out.length && out.at(-1) === '') out.pop();
  while (out.length && out[0] === '') out.shift();
  return out;
}

const ELLIPSIS = '…';
/** A progress line of up/down: a step done (✓) or a note (·). */
const isStep = (line: string) => line.startsWith('✓ ') || line.startsWith('· ');

type Token = { line: string } | { steps: string[]; partial: boolean } | { any: true };

/**
 * Expected and actual output as tokens: a run of progress lines (`✓ step`, `· note`) is one unordered group (parallel
 * steps finish in any order); `…` in the expected output stands for any lines (inside a run of
 * steps: any further steps).
 */
function tokens(lines: string[], expected: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const ellipsis = expected && line.trim() === ELLIPSIS;
    if (isStep(line) || (ellipsis && isStep(lines[i - 1] ?? '') && isStep(lines[i + 1] ?? ''))) {
      const last = out.at(-1);
      const group = last && 'steps' in last ? last : { steps: [] as string[], partial: false };
      if (group !== last) out.push(group);
      if (ellipsis) group.partial = true;
      else group.steps.push(line);
    } else if (ellipsis) out.push({ any: true });
    else out.push({ line });
  }
  return out;
}

/** An expected line; `…` inside it stands for any text. */
function sameLine(want: string, have: string): boolean {
  if (!want.includes(ELLIPSIS)) return want === have;
  const pattern = want.split(ELLIPSIS).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(have);
}

function sameSteps(want: { steps: string[]; partial: boolean }, have: { steps: string[] }): boolean {
  const left = [...have.steps];
  for (const step of want.steps) {
    const at = left.findIndex((have) => sameLine(step, have));
    if (at < 0) return false;
    left.splice(at, 1);
  }
  return want.partial || left.length === 0;
}

/** True when the actual output is what the transcript shows (both normalized). */
export function transcriptMatches(expected: string[], actual: string[]): boolean {
  const want = tokens(expected, true);
  const have = tokens(actual, false);
  const match = (w: number, h: number): boolean => {
    if (w === want.length) return h === have.length;
    const token = want[w]!;
    if ('any' in token) {
      for (let skip = h; skip <= have.length; skip++) if (match(w + 1, skip)) return true;
      return false;
    }
    const next = have[h];
    if (!next) return false;
    if ('line' in token) return 'line' in next && sameLine(token.line, next.line) && match(w + 1, h + 1);
    return 'steps' in next && sameSteps(token, next) && match(w + 1, h + 1);
  };
  return match(0, 0);
}
