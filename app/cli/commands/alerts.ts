import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import type { TopologyEdge } from '../../../src/alerts/causal-distance.js';
import { AlertCompressor } from '../../../src/alerts/compress-alerts.js';
import type { Correction } from '../../../src/alerts/learn-from-corrections.js';
import { InputError } from '../../../src/errors.js';
import { parseAlertmanagerWebhook } from '../../../src/ingest/alertmanager/parse-alertmanager-webhook.js';
import type { AlertRecord, AlertRejection } from '../../../src/model/alert-record.js';
import { isEdgeType } from '../../../src/model/graph.js';
import { uids } from '../../../src/model/uid.js';
import { readInputFile } from '../read-input-file.js';

/**
 * Reads a topology CSV: `from,to[,type]` rows (a header row is skipped). Values with a `:` are
 * uids (`Service:default/shop/cart`); bare names are services in `namespace`. Type defaults to CALLS.
 */
export function readTopologyCsv(text: string, file: string, namespace = 'default'): TopologyEdge[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#' }) as string[][];
  } catch (err) {
    throw new InputError(file, `not CSV: ${(err as Error).message}`);
  }
  if (rows.length > 0 && /^(from|caller|source)$/i.test(rows[0][0] ?? '')) rows = rows.slice(1);
  const id = (v: string) => (v.includes(':') ? v : uids.service(v, namespace));
  return rows.map((r, i) => {
    const type = (r[2] ?? 'CALLS').toUpperCase();
    if (r.length < 2 || !r[0] || !r[1]) throw new InputError(`${file} › row ${i + 1}`, 'expected "from,to[,type]"');
    if (!isEdgeType(type)) throw new InputError(`${file} › row ${i + 1} › type`, `unknown relationship type "${r[2]}"`);
    return { from: id(r[0]), to: id(r[1]), type };
  });
}

interface CompressCliOptions {
  json?: boolean;
  topology?: string;
  namespace: string;
  window: string;
  maxHops: string;
  corrections?: string;
  merge: string[];
  split: string[];
  saveCorrections?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function positive(v: string, where: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(where, `expected a positive number, got "${v}"`);
  return n;
}

function readCorrections(file: string): Correction[] {
  const text = readInputFile(file, 'a JSON array of corrections (written by --save-corrections)');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `cannot read corrections: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new InputError(file, 'expected a JSON array of corrections');
  return data as Correction[];
}

/** Parses JSONL webhook payloads; bad lines and alerts are returned as rejections, not thrown. */
function readPayloads(file: string): { records: AlertRecord[]; rejected: Array<AlertRejection & { line: number }> } {
  const records: AlertRecord[] = [];
  const rejected: Array<AlertRejection & { line: number }> = [];
  readInputFile(file, 'a JSONL file of Alertmanager webhook payloads, one JSON document per line')
    .split('\n')
    .forEach((raw, i) => {
      const text = raw.trim();
      if (!text) return;
      try {
        const out = parseAlertmanagerWebhook(JSON.parse(text), `${file} › line ${i + 1}`);
        records.push(...out.accepted);
        rejected.push(
          ...out.rejected.map((r) => ({ ...r, where: `${file} › line ${i + 1} › ${r.where}`, line: i + 1 })),
        );
      } catch (err) {
        rejected.push({
          line: i + 1,
          index: -1,
          where: err instanceof InputError ? err.where || `${file} › line ${i + 1}` : `${file} › line ${i + 1}`,
          reason: (err as Error).message,
        });
      }
    });
  return { records, rejected };
}

/** Nothing to compress: say why, with the first rejections, so the run does not pass as a success. */
function noAlerts(file: string, rejected: ReadonlyArray<AlertRejection & { line: number }>): InputError {
  if (rejected.length === 0)
    return new InputError(file, 'holds no Alertmanager webhook payload', {
      hint: 'expected one JSON document per line, as Alertmanager posts to a webhook receiver (version 4)',
    });
  const shown = rejected.slice(0, 3).map((r) => (r.reason.startsWith(r.where) ? r.reason : `${r.where}: ${r.reason}`));
  const more = rejected.length > shown.length ? `; and ${rejected.length - shown.length} more` : '';
  return new InputError(file, `no alert could be read (${rejected.length} rejected: ${shown.join('; ')}${more})`);
}

/** SELECTS edges the alerts themselves state: an alert labelled with both a pod and its service. */
function edgesFromLabels(records: readonly AlertRecord[]): TopologyEdge[] {
  const seen = new Map<string, TopologyEdge>();
  for (const r of records) {
    const { pod, service, namespace = 'default' } = r.labels;
    if (!pod || !service) continue;
    const e = { type: 'SELECTS' as const, from: uids.service(service, namespace), to: uids.pod(pod, namespace) };
    seen.set(`${e.from}|${e.to}`, e);
  }
  return [...seen.values()];
}

/** Applies `--merge INTO:FROM` and `--split INCIDENT:FP,FP` in the order given. */
function applyCorrections(c: AlertCompressor, o: CompressCliOptions, at: number): void {
  for (const m of o.merge) {
    const [into, from] = m.split(':');
    if (!into || !from) throw new InputError('--merge', `expected INTO:FROM incident ids, got "${m}"`);
    c.correlator.merge(into, from, at);
  }
  for (const s of o.split) {
    const [id, fps] = s.split(':');
    if (!id || !fps) throw new InputError('--split', `expected INCIDENT:FINGERPRINT[,FINGERPRINT…], got "${s}"`);
    c.correlator.split(id, fps.split(','), at);
  }
}

/** `rootgraph alerts compress FILE`: Alertmanager webhook payloads (JSONL) in, incidents with their alert fingerprints out. */
export function registerAlertsCommand(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('Alert compression: deduplicate, suppress flapping, correlate into incidents');
  alerts
    .command('compress')
    .description('Compress Alertmanager webhook payloads (one JSON document per line) into incidents')
    .argument('<file>', 'JSONL file of Alertmanager webhook payloads (version 4)')
    .option('--json', 'print JSON on stdout')
    .option('--topology <file>', 'CSV of from,to[,type] edges (service names or uids; type defaults to CALLS)')
    .option('--namespace <ns>', 'namespace of bare service names in --topology', 'default')
    .option('--window <minutes>', 'correlation time window', '15')
    .option('--max-hops <k>', 'entities further apart in the graph are unrelated', '3')
    .option('--corrections <file>', 'JSON array of earlier corrections to learn from')
    .option('--merge <into:from>', 'merge incident FROM into INTO after compressing (repeatable)', collect, [])
    .option('--split <incident:fp,fp>', 'split these alerts off into a new incident (repeatable)', collect, [])
    .option('--save-corrections <file>', 'write all corrections (earlier and new) to this JSON file')
    .action((file: string, o: CompressCliOptions) => {
      const earlier = o.corrections ? readCorrections(o.corrections) : [];
      const topology = o.topology
        ? readTopologyCsv(readInputFile(o.topology, 'a CSV file of from,to[,type] edges'), o.topology, o.namespace)
        : undefined;
      const { records, rejected } = readPayloads(file);
      if (records.length === 0) throw noAlerts(file, rejected);
      const c = new AlertCompressor({
        topology: topology ? [...topology, ...edgesFromLabels(records)] : undefined,
        corrections: earlier,
        windowMs: positive(o.window, '--window') * 60_000,
        maxHops: positive(o.maxHops, '--max-hops'),
      });
      for (const r of records) c.push(r);
      const lastSeen = Math.max(0, ...c.alerts().map((a) => a.lastSeen));
      applyCorrections(c, o, lastSeen);
      if (o.saveCorrections) writeFileSync(o.saveCorrections, `${JSON.stringify(c.correlator.corrections, null, 2)}\n`);
      const byFp = new Map(c.alerts().map((a) => [a.fingerprint, a]));
      const incidents = c.incidents().map((inc) => ({
        ...inc,
        firstStart: new Date(inc.firstStart).toISOString(),
        lastActivity: new Date(inc.lastActivity).toISOString(),
        actionableSince: inc.actionableSince === null ? null : new Date(inc.actionableSince).toISOString(),
        alerts: inc.fingerprints.map((fp) => {
          const a = byFp.get(fp)!;
          return {
            fingerprint: fp,
            name: a.name,
            entity: a.entity,
            status: a.status,
            occurrences: a.occurrences.length,
            notifications: a.notifications,
            flapping: a.flapping,
          };
        }),
      }));
      for (const r of rejected) process.stderr.write(`rejected: ${r.where}: ${r.reason}\n`);
      if (o.json) {
        console.log(JSON.stringify({ incidents, stats: c.stats(), rejected }, null, 2));
        return;
      }
      const s = c.stats();
      console.log(
        `${s.notifications} notifications, ${s.alerts} alerts → ${s.incidents} incidents + ${s.watchItems} watch items (lone warnings) ` +
          `(${s.repeats} repeats, ${s.flapsSuppressed} flaps held, ${rejected.length} rejected)`,
      );
      for (const inc of [...incidents.filter((i) => i.actionable), ...incidents.filter((i) => !i.actionable)]) {
        console.log(
          `${inc.actionable ? 'incident' : 'watch   '} ${inc.id}  ${inc.firstStart}  ${inc.alerts.length} alerts, ${inc.episodes.length} episodes  ` +
            `${inc.names.slice(0, 3).join(', ')}  on ${inc.entities.slice(0, 3).join(', ')}`,
        );
        console.log(`    ${inc.fingerprints.join(' ')}`);
      }
    });
}
