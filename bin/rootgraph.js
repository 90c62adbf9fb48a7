#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through `prepare`, or `npm run build`) when it is
// current, and the TypeScript sources through tsx's loader otherwise, so an edit is live at once in
// development. ROOTGRAPH_CLI=dist|tsx forces one of the two.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The folders scripts/build.js compiles; keep the two lists the same.
const SOURCE_DIRS = ['src', 'app', 'jobs', 'bots'];

/** True when dist/ was built after the last change to any source file (and from the same files). */
function distIsCurrent() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', 'BUILD.json'), 'utf8'));
  } catch {
    return false;
  }
  let files = 0;
  const stack = SOURCE_DIRS.map((d) => join(root, d));
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files += 1;
        if (statSync(path).mtimeMs > stamp.builtAt) return false;
      }
    }
  }
  return files === stamp.files;
}

// `rootgraph … | head` closes stdout early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const mode = process.env.ROOTGRAPH_CLI;
const compiled = join(root, 'dist', 'app', 'cli', 'main.js');
const useDist = mode === 'dist' ? existsSync(compiled) : mode !== 'tsx' && distIsCurrent();
let entry;
if (useDist) {
  entry = await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../app/cli/main.ts');
}
process.exitCode = await entry.main(process.argv);
