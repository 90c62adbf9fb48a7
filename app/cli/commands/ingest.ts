import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import { ingestCase } from '../../../src/ingest/cases/ingest-case.js';
import { ingestK8sManifests } from '../../../src/ingest/k8s/ingest-k8s.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { withGraph } from '../../compose.js';

interface Common {
  cluster?: string;
  json?: boolean;
}

const print = (json: boolean | undefined, value: unknown, text: string) =>
  console.log(json ? JSON.stringify(value) : text);

/**
 * `rootgraph ingest k8s FILE…` (YAML or `kubectl get -o json`) and `rootgraph ingest case DIR`
 * (traces.csv, logs.csv, metrics.csv, topology.csv) into the configured graph.
 */
export function registerIngestCommand(program: Command): void {
  const ingest = program
    .command('ingest')
    .description('Load Kubernetes manifests or an offline case into the knowledge graph');
  ingest
    .command('k8s')
    .description('Ingest manifests; edits against what the graph holds become Change nodes')
    .argument('<files...>', 'YAML (multi-document) or kubectl JSON files')
    .option('--cluster <name>', 'cluster name in uids', 'default')
    .option('--json', 'print the report as JSON')
    .action(async (files: string[], opts: Common) => {
      await withGraph(async (graph) => {
        for (const file of files) {
          const text = await readFile(file, 'utf8').catch((err: unknown) => {
            throw new InputError(file, 'cannot read file', { cause: err });
          });
          const r = await ingestK8sManifests(graph, text, { source: basename(file), cluster: opts.cluster });
          const lines = [
            `${file}: ${r.accepted} objects, ${r.rejected.length} rejected, ${r.ignored.length} ignored, ${r.changes.length} changes`,
            ...r.rejected.map((x) => `  rejected ${x.where}: ${x.reason}`),
            ...r.changes.map((c) => `  changed ${c.entity}: ${c.summary}`),
          ];
          print(opts.json, { file, ...r }, lines.join('\n'));
        }
      });
    });
  ingest
    .command('case')
    .description('Ingest an offline case folder (metrics are recorded as MetricSeries; samples stay in the case files)')
    .argument('<dir>', 'case folder')
    .option('--cluster <name>', 'cluster name in uids', 'default')
    .option('--namespace <ns>', "namespace of the case's entities", 'default')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, opts: Common & { namespace?: string }) => {
      await withGraph(async (graph) => {
        const r = await ingestCase(dir, {
          graph,
          buffer: new BufferMetricSource(),
          cluster: opts.cluster,
          namespace: opts.namespace,
        });
        const rejected = r.upserts.flatMap((u) => u.rejected);
        print(
          opts.json,
          { ...r, rejected },
          `${r.case}: ${r.spans} spans, ${r.logLines} log lines, ${r.metrics?.added ?? 0} metric samples; ${rejected.length} graph records rejected`,
        );
      });
    });
}
