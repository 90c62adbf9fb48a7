import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerIngestCommand } from '../../app/cli/commands/ingest.js';
import { kubernetesManifests, onlineBoutique } from '../../src/sim/index.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => {
    out.push(s);
  });
  const program = new Command().exitOverride();
  registerIngestCommand(program);
  await program.parseAsync(['node', 'rootgraph', ...args]);
  return out.join('\n');
}

describe('rootgraph ingest k8s', () => {
  it('ingests manifests into the embedded graph and reports an edit as a change on the next run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-ingest-'));
    process.env.ROOTGRAPH_DATA_DIR = dir;
    delete process.env.NEO4J_URI;
    const yaml = kubernetesManifests(onlineBoutique(), { includePods: false });
    await writeFile(join(dir, 'a.yaml'), yaml);
    await writeFile(
      join(dir, 'b.yaml'),
      yaml.replace(/(kind: Deployment\nmetadata:\n {2}name: frontend\n[\s\S]*?replicas: )\d+/, '$15'),
    );
    expect(await cli('ingest', 'k8s', join(dir, 'a.yaml'))).toMatch(/0 rejected, 0 ignored, 0 changes/);
    const second = await cli('ingest', 'k8s', join(dir, 'b.yaml'));
    expect(second).toMatch(/1 changes\n {2}changed Deployment:default\/boutique\/frontend: replicas \d → 5/);
  });
});
