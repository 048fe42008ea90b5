// Builds dist/: one esbuild bundle with shared chunks for the three entry points (the library,
// pgsynth/testing and the CLI), so a cold `synth` loads a handful of files instead of a few
// hundred; then tsc writes the declarations. jiti (loads configs) and pg (synth up) stay external
// and are loaded lazily; zod, yaml and diff are bundled.
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts', 'src/testing.ts', 'src/cli/main.ts'],
  outdir: 'dist',
  outbase: 'src',
  // Chunks sit two levels below the package root, like src/<dir>/<file>.ts: code that finds
  // package.json or catalog/ relative to its own module works the same from both.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['jiti', 'pg'],
  // yaml's Node entry is CommonJS, which the bundler cannot tree-shake; its ESM build is the same
  // code and lets the parser (pgsynth only writes YAML) drop out.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // Bundled CommonJS dependencies call require(); ESM has none of its own.
  banner: { js: "import { createRequire as __pgsynthCreateRequire } from 'node:module'; const require = __pgsynthCreateRequire(import.meta.url);" },
  legalComments: 'linked',
  // Less to parse on every cold start; names stay, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

execFileSync(`${root}node_modules/.bin/tsc`, ['-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit', cwd: root });
