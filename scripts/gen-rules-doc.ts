// Writes docs/rules.md from the rule registry.
// Run: node --import jiti/register scripts/gen-rules-doc.ts [--check]
// With --check it writes nothing and exits 1 when docs/rules.md differs from a fresh render.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RULES } from '../src/validators/registry.js';
import { renderRulesDoc } from '../src/validators/rules-doc.js';

const target = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
const fresh = renderRulesDoc(RULES);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is as stale as an outdated one.
  }
  if (current !== fresh) {
    console.error('docs/rules.md is stale: run node --import jiti/register scripts/gen-rules-doc.ts');
    process.exit(1);
  }
  console.log(`docs/rules.md is up to date (${RULES.length} rules)`);
} else {
  writeFileSync(target, fresh);
  console.log(`wrote docs/rules.md (${RULES.length} rules)`);
}
