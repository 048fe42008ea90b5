// Layers import only downward: config/model → validators → renderers → writer, the local process
// toolkit beside them, the local target's orchestration (`synth up`) and the CLI on top. Every relative import in
// src/ (type-only ones too, and dynamic import()) is checked; a violation names both files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Lowest first; a file may import its own layer or any layer below it. */
const LAYERS: { name: string; files: RegExp }[] = [
  { name: 'base', files: /^(brand|codes|conninfo|diagnostic|internal-error|package-root)\.ts$/ },
  { name: 'settings', files: /^settings\// },
  { name: 'model', files: /^model\// },
  // The local process toolkit (processes, ports, binaries): beside the validators, renderers and
  // writer, which never import it (checked below); only `synth up` and the CLI use it.
  { name: 'process', files: /^process\// },
  { name: 'validators', files: /^validators\// },
  { name: 'renderers', files: /^render\// },
  { name: 'writer', files: /^writer\// },
  { name: 'local target', files: /^local\// },
  { name: 'cli', files: /^cli\// },
  { name: 'entry points', files: /^(index|testing|testing-local)\.ts$/ },
];

/** Imports allowed against the order, each with the reason; an entry no import uses fails too. */
const EXCEPTIONS: { from: string; to: string; why: string }[] = [
  // One declaration per fact: `settings` refuses exactly the parameters the renderer writes, and
  // PGS025 checks exactly the values it writes, so both ask the (pure) renderer instead of
  // keeping a second list in step.
  { from: 'validators/settings-check.ts', to: 'render/postgres/postgresql-conf.ts', why: 'the parameters pgsynth writes are refused in settings' },
  { from: 'validators/rules/written-values-in-range.ts', to: 'render/postgres/postgresql-conf.ts', why: 'the values pgsynth writes are range-checked' },
  { from: 'validators/rules/backup-repository-volume.ts', to: 'render/compose/volumes.ts', why: 'PGS197 checks the volume names the compose file declares' },
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex((layer) => layer.files.test(file));
  if (index < 0) throw new Error(`src/${file} belongs to no layer: add it to LAYERS in test/architecture/import-direction.test.ts`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'(\.[^']+)'|(?:^|\n)\s*import\s*'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g;

/** Relative imports of a file's text, as paths under src/ ending in .ts. */
export function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => {
    const specifier = (match[1] ?? match[2] ?? match[3])!;
    return normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
  });
}

/** "from → to" for each import that goes up a layer, or reaches into a rule from outside the validators. */
export function violations(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const target of importsOf(file, text)) {
      if (EXCEPTIONS.some((e) => e.from === file && e.to === target)) continue;
      if (layerOf(target) > layerOf(file)) {
        found.push(`src/${file} (${LAYERS[layerOf(file)]!.name}) imports src/${target} (${LAYERS[layerOf(target)]!.name}, a higher layer)`);
      } else if (target.startsWith('process/') && /^(validators|renderers|writer)$/.test(LAYERS[layerOf(file)]!.name)) {
        found.push(`src/${file} (${LAYERS[layerOf(file)]!.name}) imports src/${target}: the local process toolkit sits beside it`);
      } else if (target.startsWith('validators/rules/') && !file.startsWith('validators/')) {
        found.push(`src/${file} reaches into a rule's file src/${target}: move what it needs below the validators`);
      }
    }
  }
  return found;
}

const source = Object.fromEntries(sourceFiles(SRC).map((path) => [relative(SRC, path), readFileSync(path, 'utf8')]));

describe('import direction over src/', () => {
  it('every file belongs to a layer', () => {
    for (const file of Object.keys(source)) expect(() => layerOf(file)).not.toThrow();
  });

  it('no file imports a higher layer or a rule from outside the validators', () => {
    expect(violations(source)).toEqual([]);
  });

  it('every exception is still needed', () => {
    for (const e of EXCEPTIONS) expect(importsOf(e.from, source[e.from] ?? ''), `${e.from} → ${e.to}: ${e.why}`).toContain(e.to);
  });

  it('catches an upward import, a type-only one, a dynamic one and a reach into a rule', () => {
    expect(
      violations({
        'model/x.ts': "import { validateCluster } from '../validators/validate.js';\n",
        'model/y.ts': "import type {\n  Rule,\n} from '../validators/rule.js';\n",
        'render/postgres/z.ts': "const w = await import('../../writer/writer.js');\n",
        'local/p.ts': "import { hostPortUses } from '../validators/rules/host-ports-unique.js';\n",
        'render/haproxy/w.ts': "import { findFreePort } from '../../process/ports.js';\n",
        'cli/ok.ts': "import { upLocal } from '../local/up.js';\nexport { RULES } from '../validators/registry.js';\n",
      }),
    ).toEqual([
      'src/model/x.ts (model) imports src/validators/validate.ts (validators, a higher layer)',
      'src/model/y.ts (model) imports src/validators/rule.ts (validators, a higher layer)',
      'src/render/postgres/z.ts (renderers) imports src/writer/writer.ts (writer, a higher layer)',
      "src/local/p.ts reaches into a rule's file src/validators/rules/host-ports-unique.ts: move what it needs below the validators",
      'src/render/haproxy/w.ts (renderers) imports src/process/ports.ts: the local process toolkit sits beside it',
    ]);
  });
});
