import { build, SLI, RES, spans, logs, START, type Ent, type Shape } from './builder.js';
import type { RcaInput } from '../../../src/rca/analyse-case.js';

type Sc = { name: string; truth: string; make: (seed: number) => RcaInput };
const T: Array<[string, string]> = [
  ['fe', 'a'],
  ['fe', 'b'],
  ['a', 'c'],
  ['c', 'd'],
];
const calm = (): Ent => ({ ...SLI(), ...RES() });
const E = (o: Record<string, Ent>) => ({ fe: calm(), a: calm(), b: calm(), c: calm(), d: calm(), ...o });
const errAlarm = { start: START, entry: 'fe', entryMetric: 'error_rate' };
const latAlarm = { start: START, entry: 'fe', entryMetric: 'latency_p99' };
// c's fault felt up the path a → fe
const upLat = (k = 10) => ({ fe: { ...SLI({ lat: k }), ...RES() }, a: { ...SLI({ lat: k * 1.2 }), ...RES() } });
const upErr = (k = 20) => ({ fe: { ...SLI({ err: k }), ...RES() }, a: { ...SLI({ err: k * 1.2 }), ...RES() } });
// a sibling b whose latency blips (a 4σ step or spike unrelated to the fault)
const bBlip = (k = 5, shape: Shape = 'step') => ({ b: { ...SLI({ lat: k, latShape: shape }), ...RES() } });
const cpuHog = (k = 25) => RES({ cpu: k });
const fullCallTree = { fe: ['a', 'b'], a: ['c'], c: ['d'], b: [] as string[], d: [] as string[] };
const selfMs = () => ({
  fe: { ms: 5, sd: 1 },
  a: { ms: 10, sd: 2 },
  b: { ms: 10, sd: 2 },
  c: { ms: 20, sd: 4 },
  d: { ms: 8, sd: 2 },
});

// Faults the scenarios share; each returns the entities it changes (E fills in the calm rest).
// c's latency moves within its own noise while its CPU is hogged.
const noisyCause = () => ({ ...upLat(8), c: { ...SLI({ lat: 0.8, latSd: 30 }), ...cpuHog() } });
// c's CPU is hogged while its own SLIs stay calm.
const calmCpuHog = () => ({ ...upLat(8), c: { ...SLI(), ...cpuHog() } });
// c returns early: it calls d less, its SLIs stay normal, the front end fails.
const wrongReturn = () => ({
  fe: { ...SLI({ err: 20 }), ...RES() },
  c: { ...SLI({ lat: -3 }), ...RES({ cpu: -8 }) },
  d: { ...SLI(), ...RES({ req: -25 }) },
});
// c crashed behind an SLI exporter that repeats its normal values; its requests stopped.
const staleCrash = () => ({ ...upErr(), c: { ...SLI(), ...RES({ reqShape: 'zero' }) } });
// A delay on c's link: its server-side SLIs stay normal, its bytes fall or its retransmits creep up.
const netDelayBytes = () => ({ ...upLat(10), c: { ...SLI(), ...RES({ net: -8 }) } });
const netDelayRetrans = () => ({
  ...upLat(10),
  c: { ...SLI(), ...RES({ cpu: -6 }), tcp_retransmits: { base: 5, sd: 1, shift: 2 } },
});
// c logs handled exceptions (its SLIs normal) beside a sibling b whose latency steps by `blip`σ.
const handledExceptions = (blip: number) => (s: number) =>
  build(s, E({ fe: { ...SLI({ err: 15 }), ...RES() }, ...bBlip(blip) }), T, errAlarm, {
    logs: [
      ...logs('c', 'NullPointerException in PriceCalculator.apply', 0, 60),
      ...logs('fe', 'served page', 20, 20, 'info'),
    ],
  });
// Service c's pod c-p1 hogs CPU while c's averaged SLIs barely move; b's pod restarts `restarts` times.
const podCpuHog = (restarts: number) => (s: number) =>
  build(
    s,
    {
      fe: { ...SLI({ lat: 8 }), ...RES() },
      a: { ...SLI({ lat: 9 }), ...RES() },
      b: SLI(),
      c: SLI({ lat: 0.5 }),
      d: SLI(),
      'c-p1': RES({ cpu: 30 }),
      'c-p2': RES(),
      'b-p1': RES({ restarts }),
      'd-p1': RES(),
    },
    [...T, ['c', 'c-p1'], ['c', 'c-p2'], ['b', 'b-p1'], ['d', 'd-p1']],
    latAlarm,
    {
      workloadOf: new Map([
        ['c-p1', 'c'],
        ['c-p2', 'c'],
        ['b-p1', 'b'],
        ['d-p1', 'd'],
      ]),
    },
  );

export const scenarios: Sc[] = [
  // 1-2: the case the rule is for
  {
    name: '01 bystander memory leak (b) beside c failing',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({ ...upErr(), c: { ...SLI({ err: 30 }), ...RES({ cpu: 3 }) }, b: { ...SLI(), ...RES({ mem: 3000 }) } }),
        T,
        errAlarm,
      ),
  },
  {
    name: '02 bystander GC-warn logs + leak (b) beside c slow',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({ ...upLat(), c: { ...SLI({ lat: 14 }), ...RES({ cpu: 2 }) }, b: { ...SLI(), ...RES({ mem: 800 }) } }),
        T,
        latAlarm,
        {
          logs: [
            ...logs('b', 'GC overhead: pause 900ms heap nearly full', 0, 40, 'warn'),
            ...logs('a', 'request ok', 5, 5, 'info'),
          ],
        },
      ),
  },
  // 3-5: noisy SLIs on the true cause
  {
    name: '03 noisy cause (lat within noise, cpu hog) + sibling b 5σ step',
    truth: 'c',
    make: (s) => build(s, E({ ...noisyCause(), ...bBlip(5) }), T, latAlarm),
  },
  {
    name: '04 noisy cause + sibling b 4σ 3-step spike',
    truth: 'c',
    make: (s) => build(s, E({ ...noisyCause(), ...bBlip(6, 'spike') }), T, latAlarm),
  },
  {
    name: '05 noisy cause, no other trouble (control)',
    truth: 'c',
    make: (s) => build(s, E(noisyCause()), T, latAlarm),
  },
  // 6-7: SLIs unmeasured on the cause
  {
    name: '06 cause without SLIs (cpu hog) + sibling b step',
    truth: 'c',
    make: (s) => build(s, E({ ...upLat(8), c: cpuHog(), ...bBlip(5) }), T, latAlarm),
  },
  {
    name: '07 cause without SLIs, memory leak, callee d slow',
    truth: 'c',
    make: (s) => build(s, E({ ...upLat(8), c: RES({ mem: 2000 }), d: { ...SLI({ lat: 6 }), ...RES() } }), T, latAlarm),
  },
  // 8-11: crashes
  {
    name: '08 crash: SLIs silent, requests stop, b step',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...upErr(),
          c: { ...SLI({ latShape: 'silent', errShape: 'silent' }), ...RES({ reqShape: 'zero' }) },
          ...bBlip(5),
        }),
        T,
        errAlarm,
      ),
  },
  {
    name: '09 crash: SLIs scraped 0, requests 0, b step',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...upErr(),
          c: { ...SLI({ latShape: 'zero', errShape: 'zero' }), ...RES({ reqShape: 'zero' }) },
          ...bBlip(5),
        }),
        T,
        errAlarm,
      ),
  },
  {
    name: '10 crash: stale SLI exporter (repeats normal), requests 0, b step',
    truth: 'c',
    make: (s) => build(s, E({ ...staleCrash(), ...bBlip(5) }), T, errAlarm),
  },
  {
    name: '11 crash-loop: restarts up, SLIs silent, b step',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...upErr(),
          c: { ...SLI({ latShape: 'silent', errShape: 'silent' }), ...RES({ restarts: 4 }) },
          ...bBlip(5),
        }),
        T,
        errAlarm,
      ),
  },
  // 12-13: CPU hog on a pod hurting a neighbour on the same host (live-style graph: svc→pod→node)
  {
    name: '12 cpu hog pod b-p (SLIs normal) hurts neighbour c-p on node1',
    truth: 'b-p',
    make: (s) =>
      build(
        s,
        {
          fe: { ...SLI({ lat: 8 }), ...RES() },
          a: { ...SLI({ lat: 9 }), ...RES() },
          b: SLI(),
          c: SLI({ lat: 12 }),
          d: SLI(),
          'b-p': RES({ cpu: 30 }),
          'c-p': RES({ cpu: -3 }),
          'a-p': RES(),
          'd-p': RES(),
          node1: { cpu_usage: { base: 0.5, sd: 0.02, shift: 20 } },
          node2: { cpu_usage: { base: 0.5, sd: 0.02 } },
        },
        [
          ...T,
          ['b', 'b-p'],
          ['c', 'c-p'],
          ['a', 'a-p'],
          ['d', 'd-p'],
          ['b-p', 'node1'],
          ['c-p', 'node1'],
          ['a-p', 'node2'],
          ['d-p', 'node2'],
        ],
        latAlarm,
        {
          hosts: ['node1', 'node2'],
          workloadOf: new Map([
            ['b-p', 'b'],
            ['c-p', 'c'],
            ['a-p', 'a'],
            ['d-p', 'd'],
          ]),
        },
      ),
  },
  {
    name: '13 cpu hog svc x off-path (own SLIs normal) hurts co-located c',
    truth: 'x',
    make: (s) =>
      build(
        s,
        E({
          ...upLat(8),
          c: { ...SLI({ lat: 12 }), ...RES({ cpu: 2 }) },
          x: { ...SLI(), ...RES({ cpu: 30 }) },
          h1: { cpu_usage: { base: 0.5, sd: 0.02, shift: 20 } },
        }),
        [...T, ['y', 'x'], ['x', 'h1'], ['c', 'h1']],
        latAlarm,
        { hosts: ['h1'] },
      ),
  },
  // 14-15: network delay on a callee
  {
    name: '14 network delay on c: server SLIs normal, net bytes move',
    truth: 'c',
    make: (s) => build(s, E({ ...netDelayBytes(), ...bBlip(5) }), T, latAlarm),
  },
  {
    name: '15 network delay on c: server SLIs normal, tcp retrans small (2σ)',
    truth: 'c',
    make: (s) => build(s, E({ ...netDelayRetrans(), ...bBlip(5) }), T, latAlarm),
  },
  // 16-18: wrong/early return
  {
    name: '16 wrong-return c: calls d less, own SLIs normal, fe errors, b step',
    truth: 'c',
    make: (s) => build(s, E({ ...wrongReturn(), ...bBlip(5) }), T, errAlarm),
  },
  {
    name: '17 early-return c, no other trouble (control)',
    truth: 'c',
    make: (s) => build(s, E(wrongReturn()), T, errAlarm),
  },
  {
    name: '18 retry storm: c (calm, cpu↑) floods callee d, d slow',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...upLat(6),
          c: { ...SLI(), ...RES({ cpu: 25 }) },
          d: { ...SLI({ lat: 12 }), ...RES({ req: 40, cpu: 10 }) },
        }),
        T,
        latAlarm,
      ),
  },
  // 19-21: traces-only graphs
  {
    name: '19 traces-only: bystander leak b, c errors',
    truth: 'c',
    make: (s) => ({
      ...build(
        s,
        E({ ...upErr(), c: { ...SLI({ err: 30 }), ...RES() }, b: { ...SLI(), ...RES({ mem: 3000 }) } }),
        [],
        errAlarm,
      ),
      spans: spans(s, fullCallTree, { ...selfMs(), c: { ms: 20, sd: 4, errShift: 0.5 } }),
    }),
  },
  {
    name: '20 traces-only: noisy cause (self time within noise) + b step',
    truth: 'c',
    make: (s) => ({
      ...build(s, E({ ...noisyCause(), ...bBlip(5) }), [], latAlarm),
      spans: spans(s, fullCallTree, {
        ...selfMs(),
        c: { ms: 20, sd: 12, shiftMs: 4 },
        b: { ms: 10, sd: 2, shiftMs: 3 },
      }),
    }),
  },
  {
    name: '21 traces-only: cpu hog c, spans unchanged, b step',
    truth: 'c',
    make: (s) => ({
      ...build(s, E({ ...calmCpuHog(), ...bBlip(5) }), [], latAlarm),
      spans: spans(s, fullCallTree, selfMs()),
    }),
  },
  // 22-23: Pods + Service workloads
  {
    name: '22 pods: c-p1 cpu hog, svc c SLIs normal, b-p1 restarts',
    truth: 'c-p1',
    make: podCpuHog(2),
  },
  {
    name: '23 pods: svc c errors (troubled) + bystander b-p1 leak',
    truth: 'c',
    make: (s) =>
      build(
        s,
        {
          fe: { ...SLI({ err: 15 }), ...RES() },
          a: { ...SLI({ err: 18 }), ...RES() },
          b: SLI(),
          c: SLI({ err: 25 }),
          d: SLI(),
          'c-p1': RES({ cpu: 2 }),
          'b-p1': { ...RES({ mem: 3000 }), gc_pause_seconds: { base: 0.01, sd: 0.002, shift: 40 } },
          'd-p1': RES(),
        },
        [...T, ['c', 'c-p1'], ['b', 'b-p1'], ['d', 'd-p1']],
        errAlarm,
        {
          workloadOf: new Map([
            ['c-p1', 'c'],
            ['b-p1', 'b'],
            ['d-p1', 'd'],
          ]),
        },
      ),
  },
  // 24-26: multiple alarms
  {
    name: '24 two front ends alarm (no named entry); cause c cpu, fe2 own blip',
    truth: 'c',
    make: (s) =>
      build(s, E({ ...calmCpuHog(), fe2: { ...SLI({ lat: 6 }), ...RES() }, e: calm() }), [...T, ['fe2', 'e']], {
        start: START,
      }),
  },
  {
    name: '25 two alarms: fe (named) and fe2 both over shared c',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...calmCpuHog(),
          fe2: { ...SLI({ lat: 9 }), ...RES() },
          e: { ...SLI({ lat: 9 }), ...RES() },
        }),
        [...T, ['fe2', 'e'], ['e', 'c']],
        latAlarm,
      ),
  },
  {
    name: '26 two alarms, entry unnamed; fe2 alarmed via e (cause e’s callee c)',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          ...calmCpuHog(),
          fe2: { ...SLI({ lat: 12 }), ...RES() },
          e: { ...SLI({ lat: 12 }), ...RES() },
        }),
        [...T, ['fe2', 'e'], ['e', 'c']],
        { start: START },
      ),
  },
  // 27-28: logs-only evidence
  {
    name: '27 logs-only: c logs exceptions (handled, SLIs normal), b step',
    truth: 'c',
    make: handledExceptions(5),
  },
  {
    name: '28 logs-only: a reports failed calls to c (c no metrics)',
    truth: 'c',
    make: (s) => {
      const x = E({ ...upErr() });
      delete (x as Partial<typeof x>).c;
      return build(s, x, T, errAlarm, {
        logs: [...logs('a', 'failed to call c: connection refused', 0, 50), ...logs('b', 'retrying request', 0, 0)],
      });
    },
  },
  // 29-30: unrelated sibling / unrelated subgraph troubled
  {
    name: '29 calm first c; only trouble is y in an unrelated subgraph x→y',
    truth: 'c',
    make: (s) =>
      build(s, E({ ...calmCpuHog(), x: calm(), y: { ...SLI({ lat: 6 }), ...RES() } }), [...T, ['x', 'y']], latAlarm),
  },
  {
    name: '30 calm first c; only trouble is sibling b (fe→b), modest 3.5σ step',
    truth: 'c',
    make: (s) => build(s, E({ ...calmCpuHog(), ...bBlip(3.5) }), T, latAlarm),
  },
  // 31-33: controls the rule should help or leave alone
  {
    name: '31 bystander d-memory leak, cause b errors (sibling path)',
    truth: 'b',
    make: (s) =>
      build(
        s,
        E({
          fe: { ...SLI({ err: 15 }), ...RES() },
          b: { ...SLI({ err: 25 }), ...RES() },
          d: { ...SLI(), ...RES({ mem: 4000 }) },
        }),
        T,
        errAlarm,
      ),
  },
  {
    name: '32 cause c weakly moved SLI (harm 0<h<3) + b step',
    truth: 'c',
    make: (s) => build(s, E({ ...upLat(8), c: { ...SLI({ lat: 4 }), ...cpuHog() }, ...bBlip(5) }), T, latAlarm),
  },
  {
    name: '33 config change on c (change event), SLIs calm, b step',
    truth: 'c',
    make: (s) =>
      build(s, E({ ...upErr(10), ...bBlip(5) }), T, errAlarm, {
        changes: [{ entity: 'c', at: START - 30, description: 'feature flag pricing-v2 on' }],
      }),
  },

  // b-variants: the same faults with a sibling whose trouble is unmistakable (10σ latency step, or restarts)
  {
    name: '03b noisy cause + sibling b 10σ step',
    truth: 'c',
    make: (s) => build(s, E({ ...noisyCause(), ...bBlip(10) }), T, latAlarm),
  },
  {
    name: '10b stale SLI exporter crash + sibling b 10σ step',
    truth: 'c',
    make: (s) => build(s, E({ ...staleCrash(), ...bBlip(10) }), T, errAlarm),
  },
  {
    name: '14b network delay on c (net bytes move) + sibling b 10σ',
    truth: 'c',
    make: (s) => build(s, E({ ...netDelayBytes(), ...bBlip(10) }), T, latAlarm),
  },
  {
    name: '15b network delay on c, no net series (cpu↓) + sibling b 10σ',
    truth: 'c',
    make: (s) => build(s, E({ ...netDelayRetrans(), ...bBlip(10) }), T, latAlarm),
  },
  {
    name: '16b wrong-return c (calls d less) + sibling b 10σ',
    truth: 'c',
    make: (s) => build(s, E({ ...wrongReturn(), ...bBlip(10) }), T, errAlarm),
  },
  {
    name: '16c wrong-return c + unrelated pod restarts on b (5)',
    truth: 'c',
    make: (s) => build(s, E({ ...wrongReturn(), b: { ...SLI(), ...RES({ restarts: 5 }) } }), T, errAlarm),
  },
  {
    name: '21b traces-only cpu hog c, spans unchanged + b 10σ',
    truth: 'c',
    make: (s) => ({
      ...build(s, E({ ...calmCpuHog(), ...bBlip(10) }), [], latAlarm),
      spans: spans(s, fullCallTree, selfMs()),
    }),
  },
  {
    name: '22b pods: c-p1 cpu hog, svc c calm, b-p1 restarts 5',
    truth: 'c-p1',
    make: podCpuHog(5),
  },
  {
    name: '22c pods: c-p1 cpu hog hurts neighbour b-p1 on node1 (b latency 8σ)',
    truth: 'c-p1',
    make: (s) =>
      build(
        s,
        {
          fe: { ...SLI({ lat: 8 }), ...RES() },
          a: { ...SLI({ lat: 9 }), ...RES() },
          b: SLI({ lat: 8 }),
          c: SLI({ lat: 0.5 }),
          d: SLI(),
          'c-p1': RES({ cpu: 30 }),
          'c-p2': RES(),
          'b-p1': RES({ cpu: -3 }),
          'd-p1': RES(),
          node1: { cpu_usage: { base: 0.5, sd: 0.02, shift: 20 } },
        },
        [...T, ['c', 'c-p1'], ['c', 'c-p2'], ['b', 'b-p1'], ['d', 'd-p1'], ['c-p1', 'node1'], ['b-p1', 'node1']],
        latAlarm,
        {
          hosts: ['node1'],
          workloadOf: new Map([
            ['c-p1', 'c'],
            ['c-p2', 'c'],
            ['b-p1', 'b'],
            ['d-p1', 'd'],
          ]),
        },
      ),
  },
  {
    name: '27b logs-only handled exceptions on c + sibling b 10σ',
    truth: 'c',
    make: handledExceptions(10),
  },
  {
    name: '30b calm first c; sibling b 10σ step',
    truth: 'c',
    make: (s) => build(s, E({ ...calmCpuHog(), ...bBlip(10) }), T, latAlarm),
  },
  {
    name: '34 callee d of cause c errors 10σ (c sends bad requests, c SLIs calm)',
    truth: 'c',
    make: (s) =>
      build(
        s,
        E({
          fe: { ...SLI({ err: 15 }), ...RES() },
          c: { ...SLI(), ...RES({ cpu: 4 }) },
          d: { ...SLI({ err: 10 }), ...RES() },
        }),
        T,
        errAlarm,
        { changes: [{ entity: 'c', at: START - 30, description: 'deploy c v2.3 (new request schema)' }] },
      ),
  },
];
