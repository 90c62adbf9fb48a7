import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from '@slack/bolt';
import { runDemo, type DemoResult } from '../../app/demo/run-demo.js';
import { renderReplyText } from '../../bots/console/render-text.js';
import { toReplyBlocks } from '../../bots/slack/render/reply-blocks.js';
import type { Reply } from '../../src/assistant/reply.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { NODE_LABELS } from '../../src/model/graph.js';
import { METRICS } from '../../src/sim/metrics.js';
import type { FaultType } from '../../src/sim/index.js';

/** A finished demo run: its graph reopened from the snapshot, and the incident it explained. */
export interface DemoScenario {
  graph: MemoryGraphStore;
  incidents: IncidentStore;
  incident: Incident;
  result: DemoResult;
  close(): Promise<void>;
}

/**
 * Runs `npm run demo`'s loop (simulated Online Boutique → ingest endpoints → jobs → card) for one fault
 * into a temporary directory and reopens the graph it left, so conversations run over the demo's own
 * incidents, alerts, log templates and call statistics.
 */
export async function runDemoScenario(opts: { seed: number; fault: FaultType; target: string }): Promise<DemoScenario> {
  const dir = await mkdtemp(join(tmpdir(), 'rg-conversation-'));
  const result = await runDemo({ ...opts, dataDir: dir, chat: false, out: () => {}, progress: () => {} });
  if (!result.incident) throw new Error(`the ${opts.fault} demo opened no incident`);
  const graph = await MemoryGraphStore.open({ dataDir: dir });
  const incidents = new IncidentStore(graph);
  const incident = await incidents.get(result.incident.number);
  if (!incident) throw new Error(`incident #${result.incident.number} is not in the demo's graph`);
  return {
    graph,
    incidents,
    incident,
    result,
    async close() {
      await graph.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every text a person can see in Block Kit blocks (section, context, header, button, option, placeholder). */
export function visibleSlackText(blocks: readonly types.KnownBlock[]): string {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && key === 'text') out.push(v);
  };
  walk(blocks);
  return out.join('\n');
}

/** A reply as both transports show it: the console text and the Slack blocks' visible text. */
export function shown(reply: Reply): string {
  return `${renderReplyText(reply)}\n${visibleSlackText(toReplyBlocks(reply))}`;
}

const UID = new RegExp(`\\b(?:${NODE_LABELS.join('|')}):[^\\s\`'",)]+`);
const RAW_ARRAY = /\[\s*-?\d[\d.eE+-]*(?:\s*,\s*-?\d[\d.eE+-]*){2,}\s*\]|(?:\b\d+(?:\.\d+)?,){5,}\d/;

/** What no answer may show: internal uids, raw number arrays, and the marks of unformatted values. */
export function leaks(text: string): string[] {
  const found: string[] = [];
  const uid = UID.exec(text);
  if (uid) found.push(`uid ${uid[0]}`);
  const raw = RAW_ARRAY.exec(text);
  if (raw) found.push(`raw array ${raw[0]}`);
  for (const bad of ['undefined', 'NaN', '[object Object]', 'Infinity']) if (text.includes(bad)) found.push(bad);
  return found;
}

/**
 * A value of the simulator's metric as people read it, computed from the simulator's own unit table:
 * ratios as percentages, ms below a second, MiB, cores — three significant digits.
 */
export function humanValue(metric: string, v: number): string {
  const unit = (METRICS.service as Record<string, string>)[metric] ?? '';
  const three = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  if (unit === 'ratio') return `${three(v * 100)} %`;
  if (unit === 'ms') return v >= 1000 ? `${three(v / 1000)} s` : `${three(v)} ms`;
  if (unit === 'MiB') return v >= 1024 ? `${three(v / 1024)} GiB` : `${three(v)} MiB`;
  if (unit === 'cores') return `${three(v)} cores`;
  return three(v);
}
