#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx rootgraph` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// `rootgraph … | head` closes stdout early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv);
