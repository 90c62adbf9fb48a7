import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerIngestCommand } from '../../app/cli/commands/ingest.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { uids } from '../../src/model/uid.js';
import { kubernetesManifests, manifestObjects, onlineBoutique } from '../../src/sim/index.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

/** Runs `rootgraph …` on the embedded graph in `dir`; stdout and stderr lines are collected. */
async function cli(dir: string, args: string[], stdin = ''): Promise<{ out: string; err: string }> {
  process.env.ROOTGRAPH_DATA_DIR = dir;
  delete process.env.NEO4J_URI;
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  const program = new Command().exitOverride();
  registerIngestCommand(program, { stdin: Readable.from([stdin]) });
  await program.parseAsync(['node', 'rootgraph', ...args]);
  return { out: out.join('\n'), err: err.join('\n') };
}

const boutique = onlineBoutique();
const yaml = kubernetesManifests(boutique, { includePods: false });
const later = manifestObjects(boutique).filter((d) => d.kind === 'ReplicaSet' || d.kind === 'Pod');

/** The SELECTS / MANAGES edges of the embedded graph persisted in `dir`. */
async function links(dir: string): Promise<string[]> {
  const graph = await MemoryGraphStore.open({ dataDir: dir });
  const cart = uids.service('cartservice', 'boutique');
  const sub = await graph.neighbourhood([cart], { hops: 3, edges: ['SELECTS', 'MANAGES'] });
  await graph.close();
  return sub.edges.map((e) => `${e.type} ${e.from} ${e.to}`).sort();
}

describe('rootgraph ingest k8s', () => {
  it('ingests manifests into the embedded graph and reports an edit as a change on the next run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    await writeFile(join(dir, 'a.yaml'), yaml);
    await writeFile(
      join(dir, 'b.yaml'),
      yaml.replace(/(kind: Deployment\nmetadata:\n {2}name: frontend\n[\s\S]*?replicas: )\d+/, '$15'),
    );
    expect((await cli(dir, ['ingest', 'k8s', join(dir, 'a.yaml')])).out).toMatch(/0 rejected, 0 ignored, 0 changes/);
    const second = await cli(dir, ['ingest', 'k8s', join(dir, 'b.yaml')]);
    expect(second.out).toMatch(/1 changes\n {2}changed Deployment:default\/boutique\/frontend: replicas \d → 5/);
  });

  it('reads a directory recursively (*.yaml, *.yml, *.json; not other files, not dot-directories)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    const m = join(dir, 'manifests');
    await mkdir(join(m, 'pods', 'deep'), { recursive: true });
    await mkdir(join(m, '.git'));
    await writeFile(join(m, 'boutique.yaml'), yaml);
    await writeFile(
      join(m, 'pods', 'replicasets.yml'),
      later
        .filter((d) => d.kind === 'ReplicaSet')
        .map((d) => JSON.stringify(d))
        .join('\n---\n'),
    );
    await writeFile(
      join(m, 'pods', 'deep', 'pods.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: later.filter((d) => d.kind === 'Pod') }),
    );
    await writeFile(join(m, 'README.md'), '# not a manifest');
    await writeFile(join(m, '.git', 'config.yaml'), 'not: [valid');
    const { out } = await cli(dir, ['ingest', 'k8s', m]);
    expect(
      out
        .split('\n')
        .filter((l) => !l.startsWith(' '))
        .map((l) => l.slice(0, l.indexOf(':'))),
    ).toEqual([join(m, 'boutique.yaml'), join(m, 'pods', 'deep', 'pods.json'), join(m, 'pods', 'replicasets.yml')]);
    expect(out).not.toMatch(/[1-9]\d* rejected/);
    // Pods arrived before their ReplicaSets (name order): linked all the same.
    const got = await links(dir);
    const pods = boutique.pods.filter((p) => p.service === 'cartservice').length;
    expect(got.filter((l) => l.startsWith('SELECTS'))).toHaveLength(2 + pods); // Deployment, ReplicaSet, pods
    expect(got.filter((l) => l.startsWith('MANAGES'))).toHaveLength(1 + pods);
  });

  it('reads stdin for -, alongside files, e.g. kubectl get -A -o yaml | rootgraph ingest k8s -', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    await writeFile(join(dir, 'boutique.yaml'), yaml);
    const kubectl = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: later });
    const { out } = await cli(dir, ['ingest', 'k8s', join(dir, 'boutique.yaml'), '-'], kubectl);
    expect(out).toMatch(new RegExp(`^stdin: ${later.length} objects, 0 rejected`, 'm'));
    expect((await links(dir)).some((l) => l.startsWith('MANAGES Deployment:default/boutique/cartservice'))).toBe(true);
  });

  it('an input with no Kubernetes object fails the command, naming it; the other inputs are still ingested', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    const otlp = join(dir, 'otlp.json');
    await writeFile(otlp, JSON.stringify({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [] }] }));
    await writeFile(join(dir, 'boutique.yaml'), yaml);
    await expect(cli(dir, ['ingest', 'k8s', otlp])).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(new RegExp(`^${otlp}: holds no Kubernetes object`)),
    });
    await expect(cli(dir, ['ingest', 'k8s', otlp, join(dir, 'boutique.yaml')])).rejects.toThrow(
      new RegExp(`^1 of 2 inputs failed: ${otlp}$`),
    );
    expect((await links(dir)).length).toBeGreaterThan(0);
    await expect(cli(dir, ['ingest', 'k8s', '-'], '')).rejects.toThrow(/^stdin: holds no Kubernetes object/);
  });

  it('a missing path ingests nothing and says which; an empty directory says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    await writeFile(join(dir, 'boutique.yaml'), yaml);
    await mkdir(join(dir, 'empty'));
    await expect(cli(dir, ['ingest', 'k8s', join(dir, 'boutique.yaml'), join(dir, 'nope.yaml')])).rejects.toThrow(
      /nope\.yaml: no such file or directory/,
    );
    expect(await links(dir)).toEqual([]);
    await expect(cli(dir, ['ingest', 'k8s', join(dir, 'empty')])).rejects.toThrow(
      /empty: the directory holds no \.yaml/,
    );
  });
});
