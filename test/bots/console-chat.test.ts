import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/assistant/assistant.js';
import { GraphFeedbackSink } from '../../src/assistant/graph-feedback-sink.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { uid } from '../../src/model/uid.js';
import { renderReplyText } from '../../bots/console/render-text.js';
import { boutiqueGraph, svc } from '../assistant/fixture.js';

/** The questions the Slack tests ask, asked of `rootgraph chat` through a pipe. */
const QUESTIONS = [
  'incidents',
  'incident 1',
  'what is wrong with checkoutservice',
  'what changed in paymentservice in the last hour',
  'top anomalies',
  'who calls paymentservice',
  'cypher CREATE (n:Service {name: "evil"})',
  'root cause is checkoutservice for incident 1',
];

const CLI = `import { Command } from 'commander';
import { registerChatCommand } from './app/cli/commands/chat.ts';
const p = new Command('rootgraph'); registerChatCommand(p); await p.parseAsync(process.argv.slice(1), { from: 'user' });`;

/** Runs `rootgraph chat --user alice` with the lines on stdin; resolves with stdout at exit. */
function runChat(dataDir: string, lines: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CLI, '--', 'chat', '--user', 'alice'],
      {
        cwd: process.cwd(),
        env: { ...process.env, ROOTGRAPH_DATA_DIR: dataDir, NEO4J_URI: '', ROOTGRAPH_LLM: '', LOG_LEVEL: 'silent' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('rootgraph chat over standard input', () => {
  let dir: string;
  let inProcess: string[];
  const now = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rootgraph-chat-'));
    const { graph, incidents } = await boutiqueGraph(dir, now);
    const assistant = new Assistant({
      graph,
      incidents,
      feedback: new GraphFeedbackSink(graph, incidents),
      now: () => now,
    });
    inProcess = [];
    for (const text of QUESTIONS.slice(0, 6))
      inProcess.push(renderReplyText(await assistant.answer({ text, user: 'alice', channel: 'console' })));
    await graph.close(); // snapshots the graph into `dir` for the chat process
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers each line, exits at EOF, and gives the same answers as the assistant in-process', async () => {
    const { code, out, err } = await runChat(dir, QUESTIONS);
    expect(err).toBe('');
    expect(code).toBe(0);
    const answers = out.trim().split(/\n\n(?=# |!! )/);
    expect(answers).toHaveLength(QUESTIONS.length);
    // Ages ("3 min ago") may tick between the two runs; everything else must match.
    const stable = (s: string) =>
      s.replace(/\d+(s| min| h| d) ago/g, 'AGO').replace(/opened \d+(s| min| h| d)/g, 'opened AGO');
    for (let i = 0; i < inProcess.length; i++) expect(stable(answers[i])).toBe(stable(inProcess[i]));
    expect(answers[1]).toContain('== Incident #1 [OPEN] [critical]');
    expect(answers[1]).toContain('Top suspect: paymentservice  score 0.90');
    expect(answers[2]).toContain('On paymentservice (a dependency)');
    expect(answers[3]).toContain('image paymentservice:v0.9.1 → v0.9.2');
    expect(answers[6]).toMatch(/^!! Refused/);
    expect(answers[7]).toContain('Recorded: `checkoutservice` is the root cause of incident #1 (from alice)');
  });

  it('feedback typed in the console is stored in the graph', async () => {
    const graph = await MemoryGraphStore.open({ dataDir: dir });
    const node = await graph.getNode(uid('Feedback', 1, svc('checkoutservice'), 'alice'));
    expect(node?.props).toMatchObject({ verdict: 'root-cause', source: 'chat' });
    expect((await new IncidentStore(graph).get(1))?.number).toBe(1);
    await graph.close();
  });
});
