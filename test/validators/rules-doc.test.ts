import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';
import { renderRulesDoc } from '../../src/validators/rules-doc.js';

const DOC = fileURLToPath(new URL('../../docs/rules.md', import.meta.url));

describe('docs/rules.md', () => {
  const onDisk = readFileSync(DOC, 'utf8');

  it('matches a fresh render of the registry (run: node --import jiti/register scripts/gen-rules-doc.ts)', () => {
    expect(onDisk).toBe(renderRulesDoc(RULES));
  });

  it('documents at least 35 rules, each with its own section and table-of-contents entry', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(35);
    for (const rule of RULES) {
      expect(onDisk).toContain(`<a id="${rule.code.toLowerCase()}"></a>\n### ${rule.code}: ${rule.title}`);
      expect(onDisk).toContain(`| [${rule.code}](#${rule.code.toLowerCase()}) | ${rule.severity} |`);
      expect(onDisk).toContain(`\`\`\`ts\n${rule.example}\n\`\`\``);
    }
  });

  it('describes PGS001 props errors and the code ranges, including PGS301–311, PGS900–905 and PGS920–962', () => {
    expect(onDisk).toContain('### PGS001: invalid props');
    expect(onDisk).toContain('### PGS002: an acknowledgment names an error or no rule');
    for (const range of ['PGS010–049', 'PGS050–069', 'PGS070–089', 'PGS090–099', 'PGS100–139', 'PGS140–169', 'PGS170–189']) {
      expect(onDisk).toContain(`| ${range} |`);
    }
    for (const range of ['PGS001–003', 'PGS301–311', 'PGS900–905', 'PGS920–962']) expect(onDisk).toContain(`| [${range}](#`);
  });

  it('renders a stale-proof document: a changed rule changes the output', () => {
    const [first, ...rest] = RULES;
    const changed = [{ ...first!, title: 'something else' }, ...rest];
    expect(renderRulesDoc(changed)).not.toBe(onDisk);
  });
});
