import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerAlertsCommand } from '../../app/cli/commands/alerts.js';

afterEach(() => vi.restoreAllMocks());

async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => {
    out.push(s);
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const program = new Command().exitOverride();
  registerAlertsCommand(program);
  await program.parseAsync(['node', 'rootgraph', ...args]);
  return out.join('\n');
}

const T0 = Date.UTC(2024, 0, 8, 10);
const iso = (min: number) => new Date(T0 + min * 60_000).toISOString();
const webhook = (
  alerts: Array<{ name: string; service: string; severity: string; startMin: number; endMin?: number }>,
) =>
  JSON.stringify({
    version: '4',
    groupKey: '{}:{}',
    status: 'firing',
    receiver: 'rootgraph',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am',
    alerts: alerts.map((a) => ({
      status: a.endMin === undefined ? 'firing' : 'resolved',
      labels: { alertname: a.name, service: a.service, namespace: 'shop', severity: a.severity },
      annotations: {},
      startsAt: iso(a.startMin),
      endsAt: a.endMin === undefined ? '0001-01-01T00:00:00Z' : iso(a.endMin),
      generatorURL: '',
    })),
  });

describe('rootgraph alerts compress', () => {
  it('prints incidents with their alert fingerprints, and a lone warning as a watch item', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-alerts-'));
    const file = join(dir, 'hooks.jsonl');
    await writeFile(
      file,
      [
        webhook([
          { name: 'KubePodCrashLooping', service: 'payment', severity: 'critical', startMin: 0 },
          { name: 'HighErrorRate', service: 'payment', severity: 'warning', startMin: 1 },
        ]),
        webhook([{ name: 'CertificateExpiringSoon', service: 'search', severity: 'warning', startMin: 90 }]),
      ].join('\n'),
    );
    const out = JSON.parse(await cli('alerts', 'compress', file, '--json')) as {
      incidents: Array<{
        actionable: boolean;
        fingerprints: string[];
        names: string[];
        actionableSince: string | null;
      }>;
      stats: { incidents: number; watchItems: number; alerts: number };
    };
    expect((out as unknown as { rejected: unknown[] }).rejected).toEqual([]);
    expect(out.stats).toMatchObject({ alerts: 3, incidents: 1, watchItems: 1 });
    const [posted, watch] = out.incidents;
    expect(posted).toMatchObject({ actionable: true, actionableSince: iso(0) });
    expect(posted.names.sort()).toEqual(['HighErrorRate', 'KubePodCrashLooping']);
    expect(posted.fingerprints).toHaveLength(2);
    expect(watch).toMatchObject({ actionable: false, actionableSince: null, names: ['CertificateExpiringSoon'] });

    const text = await cli('alerts', 'compress', file);
    expect(text).toMatch(/3 alerts → 1 incidents \+ 1 watch items/);
    expect(text).toMatch(/^incident inc-1 .* 2 alerts/m);
    expect(text).toMatch(/^watch {4}inc-2 .* CertificateExpiringSoon/m);
  });
});
