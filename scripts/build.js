#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` leaves it): compiles the runtime TypeScript (src, app,
// jobs, bots) to ESM JavaScript in dist/, one output file per source file at the same relative path,
// so `import.meta.url` paths (graph-schema/) and node_modules resolve as they do from the sources.
// No bundling and no type checking here: `npm run typecheck` is the type gate. bin/rootgraph.js runs
// dist/ while dist/BUILD.json is newer than every source file, and the sources through tsx otherwise.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The folders compiled into dist/; bin/rootgraph.js checks the same list for staleness. */
export const SOURCE_DIRS = ['src', 'app', 'jobs', 'bots'];

/** Every .ts file (not .d.ts) under the source folders, relative to the repository root. */
export function listSources(base = root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(base, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return out.sort();
}

/**
 * Writes dist/app/cli/commands.json: every top-level command's help line, read from the compiled
 * modules themselves, so `rootgraph --help` can list them without loading any. In a child process,
 * since loading every command module loads every adapter. Without the file, help loads the modules.
 */
function saveCommandSummaries(dist) {
  const main = pathToFileURL(join(dist, 'app', 'cli', 'main.js')).href;
  const out = join(dist, 'app', 'cli', 'commands.json');
  const script = [
    "import { writeFileSync } from 'node:fs';",
    `const m = await import(${JSON.stringify(main)});`,
    `writeFileSync(${JSON.stringify(out)}, JSON.stringify(m.commandSummaries(await m.buildProgram()), null, 1));`,
    'process.exit(0);',
  ].join('\n');
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0)
    process.stderr.write(`rootgraph: no command summaries, --help will load every command (${res.stderr.trim()})\n`);
}

async function main() {
  const startedAt = Date.now();
  const dist = join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const sources = listSources();
  await build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: 'dist',
    outbase: '.',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // Code that reads graph-schema/ relative to itself finds it one level up from dist/src/…: link it.
  try {
    symlinkSync('../graph-schema', join(dist, 'graph-schema'), 'dir');
  } catch {
    cpSync(join(root, 'graph-schema'), join(dist, 'graph-schema'), { recursive: true });
  }
  saveCommandSummaries(dist);
  // The stamp is the build's start: a source saved while building makes dist/ stale, as it should.
  const stamp = { builtAt: startedAt, files: sources.length };
  writeFileSync(join(dist, 'BUILD.json'), `${JSON.stringify(stamp)}\n`);
  const ms = Date.now() - startedAt;
  const size = sources.reduce((n, f) => n + statSync(join(root, f)).size, 0);
  process.stderr.write(
    `rootgraph: built ${sources.length} files (${Math.round(size / 1024)} KiB) into ${relative(process.cwd(), dist) || '.'}/ in ${ms} ms\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `--if-possible` (prepare): a failed build leaves no dist/ and a warning, not a failed `npm ci`;
  // bin/rootgraph.js then runs the sources through tsx, as in development.
  const lenient = process.argv.includes('--if-possible');
  try {
    await main();
  } catch (err) {
    if (!lenient) throw err;
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    process.stderr.write(`rootgraph: build skipped, the CLI will run through tsx (${err.message})\n`);
  }
}
