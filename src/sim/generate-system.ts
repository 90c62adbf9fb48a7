/**
 * Generated microservice systems of any size (10 to 3,000+ services) with the call-graph shape that
 * production traces show: layered (gateways → services → shared back ends), heavy-tailed fan-out and
 * popularity (a few services and databases called by many), bounded trace sizes. Shape after
 * Luo et al., "Characterizing Microservice Dependency and Performance: Alibaba Trace Analysis"
 * (SoCC 2021): power-law call degrees, most calls to a small set of shared stateful services.
 */
import { InputError } from '../errors.js';
import { createRng, k8sSuffix, type Rng } from './rng.js';
import type { MachineInfo, Operation, OperationCall, PodInfo, ServiceInfo, ServiceKind, Topology } from './types.js';
import { edgesOf, opKey, opOrder } from './topology-util.js';

/** Knobs of the generator. */
export const DEFAULTS = {
  namespace: 'prod',
  /** Share of services that are shared back ends (databases, caches, queues). */
  backendShare: 0.06,
  /** Pareto shape of the callee count per service (smaller = heavier tail). */
  fanoutAlpha: 1.4,
  maxFanout: 12,
  /** Expected spans per trace are capped here by thinning optional calls. */
  maxExpectedSpans: 60,
  podsPerMachine: 12,
} as const;

const DOMAINS = [
  'orders',
  'payments',
  'users',
  'catalog',
  'search',
  'inventory',
  'pricing',
  'shipping',
  'auth',
  'reviews',
  'cart',
  'billing',
  'ledger',
  'fraud',
  'notify',
  'media',
  'geo',
  'promo',
  'session',
  'profile',
  'feed',
  'ranking',
  'ads',
  'tax',
  'quotes',
  'returns',
  'loyalty',
  'wallet',
  'booking',
  'audit',
];
const ROLES = ['api', 'svc', 'worker', 'gateway', 'core', 'reader', 'writer', 'aggregator', 'resolver', 'adapter'];
const BACKENDS: Array<{ kind: ServiceKind; base: string; language: ServiceInfo['language']; ops: string[] }> = [
  { kind: 'database', base: 'postgres', language: 'postgres', ops: ['SELECT', 'INSERT', 'UPDATE'] },
  { kind: 'cache', base: 'redis', language: 'redis', ops: ['GET', 'SET', 'HGETALL'] },
  { kind: 'queue', base: 'kafka', language: 'java', ops: ['produce', 'fetch'] },
];
const LANGS: ServiceInfo['language'][] = ['go', 'java', 'node', 'python', 'csharp'];

/** Builds a generated system of `services` services. Pure and deterministic in `seed`. */
export function generateSystem(opts: { services: number; seed: number }): Topology {
  const n = Math.floor(opts.services);
  if (!(n >= 3)) throw new InputError('generated.services', `needs at least 3 services, got ${opts.services}`);
  const rng = createRng(opts.seed, 'generate-system', n);
  const nBack = Math.max(1, Math.round(n * DEFAULTS.backendShare));
  const nGate = Math.max(1, Math.round(n * 0.01));
  const depth = n < 30 ? 2 : n < 300 ? 4 : 6;
  const layers: string[][] = [];
  const services: ServiceInfo[] = [];
  const names = new Set<string>();
  const uniqueName = (base: string): string => {
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}-${k}`;
    names.add(name);
    return name;
  };
  const add = (kind: ServiceKind, base: string, language: ServiceInfo['language']): string => {
    const name = uniqueName(base);
    services.push({
      name,
      kind,
      language,
      namespace: DEFAULTS.namespace,
      replicas: 1 + (rng.next() < 0.4 ? 1 : 0) + (rng.next() < 0.1 ? 1 : 0),
      cpuLimit: kind === 'database' ? 2 : 0.5,
      memoryLimitMiB: kind === 'database' ? 4096 : 512,
      port: 8080,
    });
    return name;
  };
  layers.push(Array.from({ length: nGate }, () => add('frontend', `${rng.pick(DOMAINS)}-edge`, 'go')));
  // Deeper layers hold more services (a pyramid), as in production call graphs.
  const middle = n - nGate - nBack;
  const weights = Array.from({ length: depth }, (_, i) => i + 1);
  const wsum = weights.reduce((a, b) => a + b, 0);
  let left = middle;
  for (let l = 0; l < depth; l++) {
    const size = l === depth - 1 ? left : Math.max(1, Math.round((middle * weights[l]) / wsum));
    left -= size;
    layers.push(
      Array.from({ length: Math.max(0, size) }, () =>
        add(l === 0 ? 'api' : 'backend', `${rng.pick(DOMAINS)}-${rng.pick(ROLES)}`, rng.pick(LANGS)),
      ),
    );
  }
  const backends = Array.from({ length: nBack }, (_, i) => {
    const b = BACKENDS[i % BACKENDS.length];
    return add(b.kind, `${b.base}-${rng.pick(DOMAINS)}`, b.language);
  });
  const operations = buildOperations({ rng, layers: layers.filter((l) => l.length > 0), backends, services });
  thinCalls(operations);
  const { pods, machines } = place(services, rng);
  return { name: `generated-${n}`, services, edges: edgesOf(operations), operations, pods, machines };
}

function pareto(rng: Rng, alpha: number, max: number): number {
  return Math.min(max, Math.floor(1 / Math.pow(1 - rng.next(), 1 / alpha)));
}

/** Zipf-weighted pick: low indices (popular services) are chosen far more often. */
function zipfPick(rng: Rng, items: readonly string[]): string {
  const u = rng.next();
  return items[Math.min(items.length - 1, Math.floor(items.length * u * u * u))];
}

function buildOperations(a: {
  rng: Rng;
  layers: string[][];
  backends: string[];
  services: ServiceInfo[];
}): Operation[] {
  const { rng, layers, backends } = a;
  const ops: Operation[] = [];
  const opsOf = new Map<string, string[]>();
  const kindOf = new Map(a.services.map((s) => [s.name, s.kind]));
  for (const b of backends) {
    const def = BACKENDS.find((x) => x.kind === kindOf.get(b))!;
    opsOf.set(b, def.ops);
    for (const o of def.ops) ops.push({ service: b, name: o, selfMs: 0.5 + rng.next() * 2, entryShare: 0, calls: [] });
  }
  const gateTotal = layers[0].length;
  // Callees first: build bottom layers before the layers that call them.
  for (let l = layers.length - 1; l >= 0; l--) {
    for (const s of layers[l]) {
      const callees = new Set<string>();
      const fan =
        l === layers.length - 1
          ? 1 + (rng.next() < 0.3 ? 1 : 0)
          : pareto(rng, DEFAULTS.fanoutAlpha, DEFAULTS.maxFanout);
      for (let k = 0; k < fan; k++) {
        const r = rng.next();
        const pool =
          l === layers.length - 1 || r < 0.25
            ? backends
            : r < 0.85
              ? layers[l + 1]
              : layers[Math.min(layers.length - 1, l + 1 + rng.int(layers.length - l - 1))];
        callees.add(zipfPick(rng, pool));
      }
      const nOps = 1 + rng.int(l === 0 ? 4 : 3);
      const names = Array.from({ length: nOps }, (_, i) =>
        l === 0
          ? ['GET /api/v1', 'POST /api/v1', 'GET /api/v2', 'PUT /api/v1'][i]
          : `${['Get', 'List', 'Update', 'Create'][i]}${s.split('-')[0].replace(/^./, (c) => c.toUpperCase())}`,
      );
      opsOf.set(s, names);
      const list = [...callees];
      names.forEach((name, i) => {
        const calls: OperationCall[] = [];
        list.forEach((c, j) => {
          // Each callee is used by at least one operation; others call it optionally.
          if (j % nOps !== i && rng.next() < 0.5) return;
          calls.push({
            service: c,
            operation: rng.pick(opsOf.get(c)!),
            count: rng.next() < 0.1 ? 2 : 1,
            p: j % nOps === i ? 1 : 0.5,
            errorPropagation: rng.next() < 0.15 ? 0 : 0.9,
          });
        });
        ops.push({
          service: s,
          name,
          selfMs: 1 + rng.next() * 6,
          entryShare: l === 0 ? 1 / (gateTotal * nOps) : 0,
          calls,
        });
      });
    }
  }
  return ops;
}

/** Caps each operation's expected span count by scaling down its optional call probabilities. */
function thinCalls(ops: Operation[]): void {
  const index = new Map(ops.map((o, i) => [opKey(o.service, o.name), i]));
  const spans = new Float64Array(ops.length);
  for (const i of opOrder(ops)) {
    let e = 1;
    for (const c of ops[i].calls) e += c.count * c.p * spans[index.get(opKey(c.service, c.operation))!];
    if (e > DEFAULTS.maxExpectedSpans) {
      const f = (DEFAULTS.maxExpectedSpans - 1) / (e - 1);
      e = 1;
      for (const c of ops[i].calls) {
        c.p *= f;
        e += c.count * c.p * spans[index.get(opKey(c.service, c.operation))!];
      }
    }
    spans[i] = e;
  }
}

function place(services: ServiceInfo[], rng: Rng): { pods: PodInfo[]; machines: MachineInfo[] } {
  const total = services.reduce((a, s) => a + s.replicas, 0);
  const machines: MachineInfo[] = Array.from(
    { length: Math.max(1, Math.ceil(total / DEFAULTS.podsPerMachine)) },
    (_, i) => ({
      name: `ip-10-0-${Math.floor(i / 250)}-${(i % 250) + 4}.ec2.internal`,
      ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 4}`,
      cpuCores: 8,
      memoryMiB: 32_768,
    }),
  );
  const pods: PodInfo[] = [];
  for (const s of services) {
    const rs = k8sSuffix(rng, 9);
    for (let r = 0; r < s.replicas; r++) {
      const i = pods.length;
      pods.push({
        name: `${s.name}-${rs}-${k8sSuffix(rng, 5)}`,
        service: s.name,
        machine: machines[rng.int(machines.length)].name,
        ip: `10.${100 + Math.floor(i / 65_000)}.${Math.floor(i / 250) % 256}.${(i % 250) + 2}`,
      });
    }
  }
  return { pods, machines };
}
