import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { uids } from '../../src/model/uid.js';

// A writer that acknowledges each upsert on stdout once the store has resolved it, snapshotting now
// and then, until it is killed.
const WRITER = `
import { MemoryGraphStore } from './src/graph/memory/memory-graph-store.ts';
import { uids } from './src/model/uid.ts';
const store = await MemoryGraphStore.open({ dataDir: process.argv[1] });
for (let i = Number(process.argv[2]); ; i++) {
  await store.upsert({ nodes: [{ label: 'Service', uid: uids.service('svc' + i), props: { name: 'svc' + i, n: i } }], edges: [] });
  if (i % 37 === 0) await store.deleteNodes([uids.service('svc' + (i - 1))]);
  if (i % 50 === 0) await store.flush();
  process.stdout.write('acked ' + i + '\\n');
}`;

/** Runs the writer from `first`, SIGKILLs it after `acks` acknowledgements; resolves with the acknowledged numbers. */
function writeThenKill(dir: string, first: number, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', WRITER, dir, String(first)],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: number[] = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) acked.push(Number(l.slice('acked '.length)));
      if (acked.length >= acks) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited ${code}: ${err}`)),
    );
  });
}

describe('the embedded graph’s journal', () => {
  it('keeps every acknowledged write through SIGKILL, across snapshots, three crashes in a row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-journal-'));
    const acked: number[] = [];
    let first = 0;
    for (const acks of [120, 75, 200]) {
      const round = await writeThenKill(dir, first, acks);
      acked.push(...round);
      first = round[round.length - 1] + 1;
      const store = await MemoryGraphStore.open({ dataDir: dir });
      for (const i of acked) {
        const deletedLater = acked.includes(i + 1) && (i + 1) % 37 === 0;
        const node = await store.getNode(uids.service(`svc${i}`));
        if (deletedLater) expect(node, `svc${i} was deleted`).toBeUndefined();
        else expect(node?.props.n, `svc${i} was acknowledged`).toBe(i);
      }
      await store.close();
    }
    expect(acked.length).toBeGreaterThanOrEqual(395);
  });
});

// One write (snapshotted or not), acknowledged, then the writer idles until it is killed.
const ONE_WRITE = `
import { MemoryGraphStore } from './src/graph/memory/memory-graph-store.ts';
import { uids } from './src/model/uid.ts';
const store = await MemoryGraphStore.open({ dataDir: process.argv[1] });
const name = process.argv[2];
await store.upsert({ nodes: [{ label: 'Service', uid: uids.service(name), props: { name } }], edges: [] });
if (process.argv[3] === 'snapshot') await store.flush();
process.stdout.write('acked\\n');
setInterval(() => {}, 1000);`;

function writeOneThenKill(dir: string, name: string, snapshot: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', '--input-type=module', '-e', ONE_WRITE, dir, name, snapshot ? 'snapshot' : 'no'];
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', () => child.kill('SIGKILL'));
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`exited ${code}: ${err}`)),
    );
  });
}

describe('the embedded graph’s journal after a snapshot emptied it', () => {
  it('numbers the next process’s changes after the snapshot, so a later crash keeps them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-journal-'));
    // Crash right after a snapshot (the journal is empty), then write without one and crash again.
    await writeOneThenKill(dir, 'first', true);
    await writeOneThenKill(dir, 'second', false);
    await writeOneThenKill(dir, 'third', false);
    const store = await MemoryGraphStore.open({ dataDir: dir });
    const kept = ['first', 'second', 'third'].filter((n) => store.graph.hasNode(uids.service(n)));
    await store.close();
    expect(kept).toEqual(['first', 'second', 'third']);
  });
});
