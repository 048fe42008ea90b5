// Regenerates every fixture's golden output tree (fixtures/<name>/cluster/) on purpose, after a
// renderer change was reviewed. The golden test fails on any difference until this is run.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { synthesize } from '../src/index.js';
import { fixtureNames, goldenDir, loadFixture } from '../test/golden/fixtures.js';

for (const name of fixtureNames()) {
  const root = goldenDir(name);
  rmSync(root, { recursive: true, force: true });
  const { files } = synthesize(await loadFixture(name));
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    chmodSync(path, file.executable ? 0o755 : 0o644);
  }
  console.log(`${name}: ${files.length} files`);
}
