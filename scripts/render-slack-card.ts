// Renders the demo's incident card (Block Kit JSON) to HTML and a PNG with headless Chromium, for README.
// Usage: node --import tsx scripts/render-slack-card.ts [--seed N] [--fault F] [--target S] [--out docs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toIncidentBlocks } from '../bots/slack/render/incident-blocks.js';
import { runDemo } from '../app/demo/run-demo.js';
import type { FaultType } from '../src/sim/index.js';
import { blocksToHtml } from './block-kit-html.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    fault: { type: 'string', default: 'cpu-hog' },
    target: { type: 'string', default: 'cartservice' },
    out: { type: 'string', default: 'docs' },
  },
});
const result = await runDemo({
  seed: Number(values.seed),
  fault: values.fault as FaultType,
  target: values.target,
  chat: false,
  dataDir: mkdtempSync(join(tmpdir(), 'rg-card-')),
  out: () => {},
  progress: () => {},
});
if (!result.incident) throw new Error('the demo opened no incident');
const blocks = toIncidentBlocks(result.incident, { corrections: true });
const out = resolve(values.out as string);
writeFileSync(join(out, 'slack-card.blocks.json'), `${JSON.stringify({ blocks }, null, 2)}\n`);
writeFileSync(join(out, 'slack-card.html'), blocksToHtml(blocks, { channel: '#incidents', app: 'rootgraph' }));
execFileSync(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'rg-chrome-'))}`,
    '--hide-scrollbars',
    '--window-size=900,760',
    `--screenshot=${join(out, 'slack-card.png')}`,
    `file://${join(out, 'slack-card.html')}`,
  ],
  { stdio: 'ignore' },
);
console.log(`wrote ${join(out, 'slack-card.png')} (diagnosis ${result.correct ? 'correct' : 'wrong'}: ${result.top})`);
