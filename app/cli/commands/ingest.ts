import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError, isRootgraphError, userMessage } from '../../../src/errors.js';
import { ingestCase } from '../../../src/ingest/cases/ingest-case.js';
import { ingestK8sManifests } from '../../../src/ingest/k8s/ingest-k8s.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { withGraph } from '../lazy-compose.js';

interface Common {
  cluster?: string;
  json?: boolean;
}

/** What the ingest command reads besides files (tests pass their own stdin). */
export interface IngestCommandDeps {
  stdin?: NodeJS.ReadableStream;
}

const print = (json: boolean | undefined, value: unknown, text: string) =>
  console.log(json ? JSON.stringify(value) : text);

/** One manifest input: a file named on the command line, a file found under a directory, or stdin. */
interface ManifestInput {
  /** How reports and errors name it: the path as given (or joined under its directory), or `stdin`. */
  name: string;
  read: () => Promise<string>;
}

/** File extensions read from directories. */
const MANIFEST_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const readText = (path: string) => () =>
  readFile(path, 'utf8').catch((err: unknown) => {
    throw new InputError(path, 'cannot read file', { cause: err });
  });

/** Manifest files under `dir`, recursively, in name order; dot-files and dot-directories are skipped. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(path).catch(() => null))?.isDirectory());
    if (isDir) out.push(...(await walk(path)));
    else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(path);
  }
  return out;
}

/**
 * Expands arguments into inputs: `-` is stdin, a directory every *.yaml, *.yml and *.json under it
 * (recursively, in name order), anything else a file. Every path is checked before any is read, so a
 * mistyped path ingests nothing. Throws InputError naming the path.
 */
async function manifestInputs(args: readonly string[], stdin: NodeJS.ReadableStream): Promise<ManifestInput[]> {
  const inputs: ManifestInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ name: 'stdin', read: () => readAll(stdin) });
      continue;
    }
    const info = await stat(arg).catch((err: unknown) => {
      throw new InputError(arg, 'no such file or directory', { cause: err });
    });
    if (!info.isDirectory()) {
      inputs.push({ name: arg, read: readText(arg) });
      continue;
    }
    const files = await walk(arg);
    if (files.length === 0) throw new InputError(arg, 'the directory holds no .yaml, .yml or .json file');
    inputs.push(...files.map((f) => ({ name: f, read: readText(f) })));
  }
  return inputs;
}

/**
 * `rootgraph ingest k8s FILE|DIR|-…` (YAML or `kubectl get -o json|yaml`, `helm template`, `kustomize
 * build` output) and `rootgraph ingest case DIR` (traces.csv, logs.csv, metrics.csv, topology.csv) into
 * the configured graph.
 */
export function registerIngestCommand(program: Command, deps: IngestCommandDeps = {}): void {
  const ingest = program
    .command('ingest')
    .description('Load Kubernetes manifests or an offline case into the knowledge graph');
  ingest
    .command('k8s')
    .description(
      'Ingest manifests from files, directories (recursively: *.yaml, *.yml, *.json) or stdin (-); ' +
        'edits against what the graph holds become Change nodes. Exits non-zero when an input holds no Kubernetes object.',
    )
    .argument(
      '<inputs...>',
      'manifest files, directories, or - for stdin (e.g. kubectl get -A -o yaml | rootgraph ingest k8s -)',
    )
    .option('--cluster <name>', 'cluster name in uids', 'default')
    .option('--json', 'print the report as JSON')
    .action(async (args: string[], opts: Common) => {
      const inputs = await manifestInputs(args, deps.stdin ?? process.stdin);
      const failed: string[] = [];
      await withGraph(async (graph) => {
        for (const input of inputs) {
          try {
            const text = await input.read();
            const r = await ingestK8sManifests(graph, text, { source: input.name, cluster: opts.cluster });
            const lines = [
              `${input.name}: ${r.accepted} objects, ${r.rejected.length} rejected, ${r.ignored.length} ignored, ${r.changes.length} changes` +
                (r.unlinked > 0 ? `, ${r.unlinked} stale links removed` : ''),
              ...r.rejected.map((x) => `  rejected ${x.where}: ${x.reason}`),
              ...r.changes.map((c) => `  changed ${c.entity}: ${c.summary}`),
            ];
            print(opts.json, { file: input.name, ...r }, lines.join('\n'));
          } catch (err) {
            // One input that is not Kubernetes does not stop the others; the command fails at the end.
            if (!isRootgraphError(err, 'INPUT_INVALID')) throw err;
            if (inputs.length === 1) throw err;
            failed.push(input.name);
            console.error(userMessage(err));
          }
        }
      });
      if (failed.length > 0)
        throw new InputError('', `${failed.length} of ${inputs.length} inputs failed: ${failed.join(', ')}`);
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
          `${r.case}: ${r.spans} spans, ${r.logLines} log lines, ${r.metrics?.added ?? 0} metric samples; ${rejected.length} graph records rejected${r.read.map((line) => `\n  ${line}`).join('')}`,
        );
      });
    });
}
