import { parse } from 'csv-parse/sync';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  FAULT_TYPES,
  SYMPTOMATIC_FAULT_TYPES,
  caseNumber,
  fingerprint,
  kubernetesManifests,
  planSuite,
  servedServices,
  simulate,
  suiteTruth,
  topologyFor,
  toAlertmanagerWebhooks,
  toCaseFiles,
  toOtlpLogs,
  toOtlpTraces,
  type SimOptions,
} from '../../src/sim/index.js';

const opts: SimOptions = {
  system: 'online-boutique',
  seed: 3,
  start: Date.UTC(2024, 2, 5, 9),
  durationS: 2 * 3_600,
  stepS: 60,
  faults: [{ type: 'error-return', target: 'paymentservice', startS: 4_800, durationS: 900 }],
  traceRatePerS: 0.3,
  logsPerRequest: 0.005,
};
const run = simulate(opts);
const files = toCaseFiles(run, { name: 'x' });

describe('offline case export', () => {
  it('writes metric values to six significant digits without losing their magnitude', () => {
    // 999599.7 rounds to "999600": trailing zeros of a number without a point are digits, not padding.
    for (const v of [999_599.7, 1_020_588.4, 120.5, 0.000123456789, 1.5e-9, 7.25e21, -40_000.2, 0.1 + 0.2]) {
      const back = Number(caseNumber(v));
      expect(Math.abs(back - v) / Math.abs(v), `${v} → ${caseNumber(v)}`).toBeLessThan(1e-5);
    }
    expect(caseNumber(999_599.7)).toBe('999600');
    expect(caseNumber(Number.NaN)).toBe('');
    expect(caseNumber(42)).toBe('42');
  });

  it('--signals resource keeps only resource metrics per service plus the entry SLI, and no topology.csv', () => {
    const resource = toCaseFiles(run, { name: 'x', signals: 'resource' });
    expect(resource['topology.csv']).toBeUndefined();
    expect(resource['traces.csv']).toBe(files['traces.csv']);
    const cols = (parse(resource['metrics.csv'], { to: 1 }) as string[][])[0].slice(1);
    expect(cols).toContain('frontend|latency_p99');
    expect(cols).toContain('paymentservice|cpu_usage');
    expect(cols).not.toContain('paymentservice|error_rate');
    for (const c of cols) {
      const [entity, metric] = c.split('|');
      if (entity !== 'frontend')
        expect(['cpu_usage', 'memory_usage', 'network_receive', 'network_transmit', 'restarts']).toContain(metric);
    }
  });

  it('writes metrics.csv in the wide case format', () => {
    const rows = parse(files['metrics.csv'], { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(run.metrics.timestamps.length);
    const cols = Object.keys(rows[0]);
    expect(cols[0]).toBe('timestamp');
    for (const c of cols.slice(1)) expect(c).toMatch(/^[^|]+\|[a-z0-9_]+$/);
    expect(Number(rows[1].timestamp) - Number(rows[0].timestamp)).toBe(opts.stepS);
    expect(Number(rows[10]['paymentservice|error_rate'])).toBeCloseTo(
      run.metrics.series.get('paymentservice|error_rate')!.values[10],
      5,
    );
  });

  it('writes topology, traces, logs and incident.json that agree with each other', () => {
    const edges = parse(files['topology.csv'], { columns: true }) as Array<{ source: string; target: string }>;
    expect(edges).toContainEqual({ source: 'checkoutservice', target: 'paymentservice' });
    const spans = parse(files['traces.csv'], { columns: true }) as Array<Record<string, string>>;
    expect(spans.length).toBeGreaterThan(100);
    const ids = new Set(spans.map((s) => s.span_id));
    for (const s of spans) {
      if (s.parent_span_id) expect(ids.has(s.parent_span_id)).toBe(true);
      expect(['ok', 'error', '500', '504']).toContain(s.status);
    }
    const logs = parse(files['logs.csv'], { columns: true }) as Array<Record<string, string>>;
    const incident = JSON.parse(files['incident.json']) as { start: number; entry: string };
    expect(incident.start).toBe((opts.start + 4_800_000) / 1000);
    expect(incident.entry).toBe('frontend');
    // The faulty service's error template appears in it, and callers name it in theirs.
    expect(
      logs.some(
        (l) => l.entity === 'paymentservice' && l.level === 'ERROR' && l.message.includes('InvalidOperationException'),
      ),
    ).toBe(true);
    expect(
      logs.some((l) => l.entity === 'checkoutservice' && l.message.includes('failed to call paymentservice/')),
    ).toBe(true);
    const truth = JSON.parse(files['ground-truth.json']) as { entity: string; fault: string };
    expect(truth).toMatchObject({ entity: 'paymentservice', fault: 'error-return' });
  });

  it('draws targets only among services some request reaches (a fault elsewhere changes nothing to diagnose)', () => {
    const system = { generated: { services: 30 } };
    const served = servedServices(topologyFor({ system, seed: 1 }));
    expect(served.size).toBeLessThan(30); // the generator leaves services nothing calls
    const cases = planSuite({ system, seeds: [1], targetsPerFault: 3 });
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(served.has(c.options.faults[0].target), c.name).toBe(true);
  });

  it('plans a suite over every fault type with a PetShop-shaped truth', () => {
    const cases = planSuite({ seeds: [1], targetsPerFault: 2 });
    expect(cases.length).toBe(2 * FAULT_TYPES.length);
    const truth = suiteTruth(cases);
    for (const c of cases)
      expect(truth[c.name]).toMatchObject({ entity: c.options.faults[0].target, split: 'online-boutique' });
    expect(new Set(Object.values(truth).map((t) => t.fault))).toEqual(new Set(FAULT_TYPES));
  });

  it('keeps every case of the faults with a symptom in its half when the silent fault is added', () => {
    // Three targets a fault: an odd count per seed, which would swap the next seed's halves.
    const system = { generated: { services: 30 } };
    const part = (cases: ReturnType<typeof planSuite>) => Object.fromEntries(cases.map((c) => [c.name, c.part]));
    const all = part(planSuite({ system, seeds: [3, 4], targetsPerFault: 3 }));
    const before = part(planSuite({ system, seeds: [3, 4], targetsPerFault: 3, faults: SYMPTOMATIC_FAULT_TYPES }));
    expect(Object.keys(all).filter((n) => n.includes('-wrong-return-')).length).toBe(6);
    for (const [name, p] of Object.entries(before)) expect(all[name], name).toBe(p);
  });

  it('puts an early return only where it skips a call (a service calling nothing would change nothing)', () => {
    const cases = planSuite({ seeds: [1, 2], faults: ['wrong-return'], targetsPerFault: 4 });
    const topology = topologyFor({ system: 'online-boutique', seed: 1 });
    const callers = new Set(topology.operations.filter((o) => o.calls.length > 0).map((o) => o.service));
    expect(cases.length).toBe(8);
    for (const c of cases) expect(callers, c.name).toContain(c.options.faults[0].target);
  });
});

describe('live formats', () => {
  it('encodes traces as OTLP JSON with hex ids and string nanoseconds', () => {
    const traces = [...run.traces({ fromS: 4_800, toS: 5_000 })];
    const body = toOtlpTraces(run.topology, traces) as {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string }> };
        scopeSpans: Array<{ spans: Array<Record<string, unknown>> }>;
      }>;
    };
    const n = body.resourceSpans.reduce((a, r) => a + r.scopeSpans[0].spans.length, 0);
    expect(n).toBe(traces.reduce((a, t) => a + t.spans.length, 0));
    const keys = body.resourceSpans[0].resource.attributes.map((a) => a.key);
    expect(keys).toEqual(expect.arrayContaining(['service.name', 'k8s.pod.name', 'k8s.namespace.name']));
    const span = body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof span.startTimeUnixNano).toBe('string');
    expect(BigInt(span.endTimeUnixNano as string) >= BigInt(span.startTimeUnixNano as string)).toBe(true);
    const logs = toOtlpLogs(run.topology, run.logs({ fromS: 4_800, toS: 4_900 })) as {
      resourceLogs: Array<{
        scopeLogs: Array<{ logRecords: Array<{ severityNumber: number; body: { stringValue: string } }> }>;
      }>;
    };
    expect(logs.resourceLogs.length).toBeGreaterThan(0);
    expect(logs.resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue.length).toBeGreaterThan(0);
  });

  it('delivers Alertmanager v4 webhooks grouped by alertname and service, with repeats', () => {
    const end = opts.start + opts.durationS * 1000;
    const hooks = toAlertmanagerWebhooks(run.alerts, end, { repeatIntervalS: 300 });
    expect(hooks.length).toBeGreaterThan(0);
    for (const h of hooks) {
      expect(h.payload.version).toBe('4');
      const alerts = h.payload.alerts as Array<{ fingerprint: string; labels: Record<string, string> }>;
      expect(alerts.length).toBeGreaterThan(0);
      for (const a of alerts) expect(a.fingerprint).toBe(fingerprint(a.labels));
    }
    const keys = hooks.map((h) => h.payload.groupKey);
    expect(new Set(keys).size).toBeLessThan(keys.length); // some group is notified more than once
  });

  it('fingerprints with FNV-1a 64 (empty label set = offset basis)', () => {
    expect(fingerprint({})).toBe('cbf29ce484222325');
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: '2' }));
  });

  it('writes Kubernetes YAML with Nodes, ConfigMaps, Deployments, Services and Pods', () => {
    const docs = parseAllDocuments(kubernetesManifests(run.topology)).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: { nodeName?: string } },
    );
    const kinds = new Map<string, number>();
    for (const d of docs) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
    expect(kinds.get('Node')).toBe(run.topology.machines.length);
    expect(kinds.get('Deployment')).toBe(run.topology.services.length);
    expect(kinds.get('Service')).toBe(run.topology.services.length);
    expect(kinds.get('ConfigMap')).toBe(run.topology.services.length);
    const machines = new Set(run.topology.machines.map((m) => m.name));
    for (const d of docs.filter((x) => x.kind === 'Pod')) expect(machines.has(d.spec!.nodeName!)).toBe(true);
  });
});
