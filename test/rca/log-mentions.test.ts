import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { buildBehaviourGraph } from '../../src/rca/behaviour-graph.js';
import { scoreLogs, type LogIn } from '../../src/rca/log-evidence.js';
import { calleeMentionBlame } from '../../src/rca/log-mentions.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

// fe → {a, b}, a → c, and redis-cart beside them (called by b).
const graph = () =>
  buildBehaviourGraph({
    entities: ['fe', 'a', 'b', 'c', 'redis-cart', 'cart'],
    topology: [
      { source: 'fe', target: 'a' },
      { source: 'fe', target: 'b' },
      { source: 'a', target: 'c' },
      { source: 'b', target: 'redis-cart' },
    ],
  });

describe('which service an error line is about', () => {
  const blame = calleeMentionBlame(graph());

  it('a line naming a service downstream of its writer is about that service, directly or not', () => {
    expect(blame('fe', 'failed to call a/GetThing: rpc error: code = DeadlineExceeded')).toBe('a');
    expect(blame('fe', 'upstream c returned <*>')).toBe('c');
    expect(blame('fe', 'rpc error calling /hipstershop.C/Get')).toBe('c');
  });

  it('the writer keeps lines naming nothing downstream: itself, a service it does not call, part of a longer name', () => {
    expect(blame('fe', 'fe handler panicked')).toBe('fe');
    expect(blame('a', 'failed to call b/List')).toBe('a');
    expect(blame('b', 'dial tcp redis-cart:6379: connection refused')).toBe('redis-cart');
    expect(blame('a', 'cache miss on redis-cart')).toBe('a'); // redis-cart is not below a
    expect(blame('fe', 'cart service down')).toBe('fe'); // cart is no callee of anything
    expect(blame('fe', 'abc-c flag unset')).toBe('fe'); // a and c only inside longer names
  });

  it('with ids for entities, matches their names; a same-named workload of the writer is the writer', () => {
    const g = buildBehaviourGraph({
      entities: ['svc:fe', 'svc:pay', 'deploy:pay'],
      topology: [
        { source: 'svc:fe', target: 'svc:pay' },
        { source: 'svc:pay', target: 'deploy:pay' },
      ],
    });
    const names = new Map([
      ['svc:fe', 'frontend'],
      ['svc:pay', 'paymentservice'],
      ['deploy:pay', 'paymentservice'],
    ]);
    const byName = calleeMentionBlame(g, { names });
    expect(byName('svc:fe', 'failed to call paymentservice/Charge')).toBe('svc:pay');
    expect(byName('svc:pay', 'paymentservice/Charge threw')).toBe('svc:pay');
  });

  it('the first service named wins', () => {
    expect(blame('fe', 'call to c failed via a')).toBe('c');
  });
});

const START = 100_000;

// fe reports every failed call to c; c itself writes a few lines of its own.
function reports(): LogIn[] {
  const logs: LogIn[] = [];
  for (let t = START - 7_200; t < START + 600; t += 30) {
    logs.push({ timestamp: t, entity: 'fe', level: 'INFO', message: `served request ${t}` });
    if (t >= START) {
      for (let k = 0; k < 20; k++)
        logs.push({
          timestamp: t + k,
          entity: 'fe',
          level: 'ERROR',
          message: `failed to call c/GetThing: context deadline exceeded (request ${t + k})`,
        });
      if (t % 120 === 0) logs.push({ timestamp: t, entity: 'c', level: 'WARN', message: `pool wait ${t % 7} ms` });
    }
  }
  return logs;
}

describe('log evidence with caller→callee blame', () => {
  it('matches a callee whose name holds a digit in the line as written, though its template masks the name', () => {
    const g = buildBehaviourGraph({
      entities: ['fe', 'payments-v2'],
      topology: [{ source: 'fe', target: 'payments-v2' }],
    });
    const logs: LogIn[] = [];
    for (let t = START - 7_200; t < START + 600; t += 30) {
      logs.push({ timestamp: t, entity: 'fe', level: 'INFO', message: `served request ${t}` });
      if (t >= START)
        logs.push({
          timestamp: t,
          entity: 'fe',
          level: 'ERROR',
          message: 'failed to call payments-v2/Charge: deadline exceeded',
        });
    }
    const ev = scoreLogs(logs, START, { blame: calleeMentionBlame(g) });
    expect(ev.get('payments-v2')?.templates[0]).toMatchObject({
      template: 'failed to call payments-<*>/Charge: deadline exceeded',
      reportedBy: 'fe',
    });
    expect(ev.get('fe')?.score ?? 0).toBe(0);
  });

  it("a caller's reports count for the callee and leave the caller's own error share alone", () => {
    const ev = scoreLogs(reports(), START, { blame: calleeMentionBlame(graph()) });
    expect(ev.get('c')?.templates.map((t) => t.template)).toContain(
      'failed to call c/GetThing: context deadline exceeded (request <*>)',
    );
    expect(ev.get('c')?.templates[0].reportedBy).toBe('fe');
    expect(ev.get('c')?.score ?? 0).toBeGreaterThan(50);
    expect(ev.get('fe')?.score ?? 0).toBe(0);
  });

  it('ranks the callee a loud caller reports on first, not the caller whose SLI alarmed', () => {
    const input: RcaInput = syntheticCase(7, { fe: { latency: 40 }, a: { latency: 40 } });
    // Every service reports its CPU, flat: own state is judged, and nothing moved in it.
    input.series = [
      ...input.series,
      ...['fe', 'a', 'b', 'c'].map((entity) => ({
        entity,
        metric: 'cpu_usage',
        values: Float64Array.from(input.timestamps, (_, i) => 1 + (i % 5) * 0.01),
      })),
    ];
    // The synthetic case's minutes, with the logs laid on its start.
    const shift = input.incident.start - START;
    input.logs = reports().map((l) => ({ ...l, timestamp: l.timestamp + shift }));
    const ranked = rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('c');
  });

  // fe and c move together, so a metrics-only skeleton links them (both ways: no direction).
  const skeletonCase = (entry: string | undefined): RcaInput => {
    const input: RcaInput = syntheticCase(7, { fe: { latency: 40 }, c: { latency: 40 } });
    input.topology = [];
    input.incident = { start: input.incident.start, ...(entry ? { entry } : {}) };
    input.logs = reports().map((l) => ({ ...l, timestamp: l.timestamp + input.incident.start - START }));
    return input;
  };

  it('blames nobody without a call graph and a named entry (no topology, no traces: who calls whom is unknown)', () => {
    const a = analyseCase(skeletonCase(undefined));
    expect(a.graph.source).toBe('pc-skeleton');
    const fe = a.graph.index.get('fe') as number;
    const linked = Array.from(a.graph.out.targets.subarray(a.graph.out.offsets[fe], a.graph.out.offsets[fe + 1]));
    expect(linked).toContain(a.graph.index.get('c'));
    expect(a.logs.get('fe')?.score ?? 0).toBeGreaterThan(50);
    expect(a.logs.get('c')?.templates.some((t) => t.reportedBy !== undefined) ?? false).toBe(false);
  });

  it("without a call graph, the named entry's reports blame what the skeleton links it to (it is in front)", () => {
    const a = analyseCase(skeletonCase('fe'));
    expect(a.graph.source).toBe('pc-skeleton');
    expect(a.logs.get('c')?.templates.some((t) => t.reportedBy === 'fe') ?? false).toBe(true);
    expect(a.logs.get('fe')?.score ?? 0).toBeLessThan(5);
  });
});
