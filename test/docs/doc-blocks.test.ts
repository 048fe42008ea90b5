import { describe, expect, it } from 'vitest';
import { docBlocks, normalize, transcriptMatches, transcriptSteps } from './doc-blocks.js';

// The parts of the docs suite that decide pass or fail, on small inputs (the suite itself needs
// a packed tarball and a running cluster).

describe('docBlocks', () => {
  it('finds fenced blocks, nested in lists too, with their line and kind; a marker skips the next block only', () => {
    const md = ['# T', '', '- step', '', '  ```sh', '  apt-get install x', '  ```', '', '<!-- docs-test: skip needs Docker -->', '```bash', 'docker ps', '```', '', '```console', '$ npx synth', '```', '', '```', 'tree', '```'].join('\n');
    expect(docBlocks(md)).toEqual([
      { line: 6, lang: 'sh', kind: 'shell', text: 'apt-get install x' },
      { line: 11, lang: 'bash', kind: 'shell', text: 'docker ps', skip: 'needs Docker' },
      { line: 15, lang: 'console', kind: 'console', text: '$ npx synth' },
      { line: 19, lang: '', kind: 'other', text: 'tree' },
    ]);
  });
});

describe('transcripts', () => {
  it('splits commands from output and reads the exit code the doc states', () => {
    expect(transcriptSteps('$ a\none\n$ b   # exits 3\n')).toEqual([
      { command: 'a', exitCode: 0, expected: ['one'] },
      { command: 'b   # exits 3', exitCode: 3, expected: [''] },
    ]);
  });

  it('normalizes timings, PIDs, lag, column widths and the given replacements', () => {
    expect(normalize(['✓ stop haproxy (pid 2957) (0.01 s)', '  pg-primary   2870  5611  primary', 'streaming (async), 1.5 kB behind, replay lag 0 ms (idle)', '/tmp/x/p:25757', ''], [['/tmp/x', '/home/me/shop'], ['25757', '5611']])).toEqual([
      '✓ stop haproxy (pid N) (N s)',
      ' pg-primary N 5611 primary',
      'streaming (async), N behind, replay lag N ms',
      '/home/me/shop/p:5611',
    ]);
    // the sessions in use vary from run to run; the ceilings and Pgpool's node count do not
    expect(
      normalize([
        '  pg-primary   2870  5611  primary  timeline 2   5/177',
        '  pgpool       2899  9999  pgpool   3/3 nodes up   1/32',
        '  haproxy      2957  5100  haproxy  rw 5100, ro 5101, stats 8406   rw 1/32, ro 0/64, 2 queued',
      ]),
    ).toEqual([' pg-primary N 5611 primary timeline 2 N/177', ' pgpool N 9999 pgpool 3/3 nodes up N/32', ' haproxy N 5100 haproxy rw 5100, ro 5101, stats 8406 rw N/32, ro N/64, N queued']);
  });

  it('matches lines in order; … stands for any lines, or any text inside a line', () => {
    expect(transcriptMatches(['a', '…', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(transcriptMatches(['a', 'd'], ['a', 'b', 'd'])).toBe(false);
    expect(transcriptMatches(['warning PGS053 …'], ['warning PGS053 shop/pg-primary x'])).toBe(true);
    expect(transcriptMatches(['a'], ['a', 'extra'])).toBe(false);
    expect(transcriptMatches([], ['output the doc does not show'])).toBe(false);
  });

  it('takes a run of progress lines in any order (parallel steps), … inside it for steps left out', () => {
    expect(transcriptMatches(['✓ b', '✓ a', 'done'], ['✓ a', '✓ b', 'done'])).toBe(true);
    expect(transcriptMatches(['✓ a', 'done'], ['✓ a', '✓ b', 'done'])).toBe(false);
    expect(transcriptMatches(['✓ a', '…', '✓ c', 'done'], ['✓ a', '· b running', '✓ c', 'done'])).toBe(true);
    expect(transcriptMatches(['✓ a', '✓ x', 'done'], ['✓ a', '✓ b', 'done'])).toBe(false);
  });
});
