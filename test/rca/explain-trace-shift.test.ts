import { describe, expect, it } from 'vitest';
import { whyLine } from '../../src/assistant/why-line.js';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { simulate, toCaseFiles, type FaultSpec } from '../../src/sim/index.js';
import { readWritten, simCaseFiles } from '../cases/helpers/sim-case.js';

async function top(fault: { type: 'network-delay' | 'error-return'; target: string }) {
  const a = analyseCase(await readWritten(simCaseFiles(fault, 4, { logs: false })));
  return rankRootCauses(a, defaultWeights(), { method: 'fused', rng: seededRng(1) })[0];
}

const HOUR_START = Date.UTC(2026, 0, 5, 10);

/** An hour of Online Boutique with dense traces (4 a second), so a rarely called operation has spans to judge. */
const boutiqueHour = (faults: FaultSpec[]) =>
  simulate({
    system: 'online-boutique',
    seed: 4,
    start: HOUR_START,
    durationS: 3_600,
    stepS: 30,
    faults,
    traceRatePerS: 4,
  });

describe("a suspect's own trace shift in its explanation", () => {
  it("a pod's network delay seen through server spans only: its callers' late replies are the why", async () => {
    const t = await top({ type: 'network-delay', target: 'paymentservice' });
    expect(t.entity).toBe('paymentservice');
    expect(t.explanation.traceShift).toMatchObject({ kind: 'reply', operation: 'reply delay (1 caller)' });
    expect(t.explanation.traceShift!.latencyZ).toBeGreaterThan(10);
    expect(whyLine(t.explanation)).toContain('trace: reply delay (1 caller): callers wait longer after its spans end');
    // Stored with the incident and read back as it was.
    const stored = parseSuspectExplanation(JSON.parse(JSON.stringify(t.explanation)));
    expect(stored.traceShift).toEqual(t.explanation.traceShift);
  });

  it('errors that start in the suspect are the why', async () => {
    const t = await top({ type: 'error-return', target: 'cartservice' });
    expect(t.entity).toBe('cartservice');
    expect(t.explanation.traceShift?.errorZ ?? 0).toBeGreaterThan(t.explanation.traceShift?.latencyZ ?? 0);
    expect(whyLine(t.explanation)).toMatch(/trace: errors start in \S*GetCart/);
  });

  it('an operation that stopped making its calls, with metrics and errors flat, is the why', async () => {
    // A fault-free hour whose traces are edited as a bad deploy would write them: from minute 45, every
    // other PlaceOrder returns after quoting shipping, without charging, shipping or emailing (and
    // succeeds). The metrics are left as they were: a code fault that shows in no metric.
    const start = HOUR_START;
    const files = toCaseFiles(boutiqueHour([]), { logs: false });
    const incidentS = start / 1000 + 2_700;
    files['incident.json'] = JSON.stringify({ ...JSON.parse(files['incident.json']), start: incidentS });
    const rows = files['traces.csv'].trimEnd().split('\n');
    const cells = rows.slice(1).map((r) => r.split(','));
    const skipped = new Set(['paymentservice', 'emailservice']);
    const dropped = new Set<string>();
    let placeOrders = 0;
    for (const c of cells)
      if (c[4].endsWith('PlaceOrder') && Number(c[5]) >= incidentS * 1e9 && placeOrders++ % 2 === 0)
        dropped.add(`${c[0]} ${c[1]}`);
    const kept = cells.filter(
      (c) => !(dropped.has(`${c[0]} ${c[2]}`) && (skipped.has(c[3]) || /(ShipOrder|EmptyCart)$/.test(c[4]))),
    );
    // A span that returns early ends soon after its last call, and so does everything waiting for it.
    const byId = new Map(kept.map((c) => [`${c[0]} ${c[1]}`, c]));
    const lastEnd = new Map<string, number>();
    for (const c of kept) {
      const parent = `${c[0]} ${c[2]}`;
      if (dropped.has(parent)) lastEnd.set(parent, Math.max(lastEnd.get(parent) ?? 0, Number(c[5]) + Number(c[6])));
    }
    for (const [id, end] of lastEnd) {
      const span = byId.get(id)!;
      const oldEnd = Number(span[5]) + Number(span[6]);
      const cut = Math.max(0, oldEnd - (end + 1e6));
      for (let a: string[] | undefined = span; a; a = byId.get(`${a[0]} ${a[2]}`)) a[6] = String(Number(a[6]) - cut);
      for (const c of kept) if (c[0] === span[0] && Number(c[5]) >= oldEnd) c[5] = String(Number(c[5]) - cut);
    }
    expect(placeOrders).toBeGreaterThan(20);
    files['traces.csv'] = `${[rows[0], ...kept.map((c) => c.join(','))].join('\n')}\n`;

    const a = analyseCase(await readWritten(files));
    const t = rankRootCauses(a, defaultWeights(), { method: 'fused', rng: seededRng(1) })[0];
    expect(t.entity).toBe('checkoutservice');
    expect(t.explanation.traceShift).toMatchObject({
      latencyZ: 0,
      calls: { child: expect.stringMatching(/^paymentservice\//) },
    });
    expect(t.explanation.traceShift!.calls!.window).toBeLessThan(0.7);
    expect(whyLine(t.explanation)).toMatch(/trace: \S*PlaceOrder calls \S+ in \d+% of its spans \(was 100%\)/);
    const stored = parseSuspectExplanation(JSON.parse(JSON.stringify(t.explanation)));
    expect(stored.traceShift).toEqual(t.explanation.traceShift);
  });

  it("the simulator's wrong return: the callees' lost traffic and CPU do not outrank the caller that skipped them", async () => {
    // The same fault end to end: half of PlaceOrder returns early, so payment and email lose half their
    // requests and CPU in the metrics too, while nothing fails and nothing is logged.
    const run = boutiqueHour([{ type: 'wrong-return', target: 'checkoutservice', startS: 2_700, durationS: 900 }]);
    const a = analyseCase(await readWritten(toCaseFiles(run, { logs: false })));
    const ranked = rankRootCauses(a, defaultWeights(), { method: 'fused', rng: seededRng(1) });
    const payment = ranked.find((r) => r.entity === 'paymentservice')!;
    expect(payment.explanation.metrics.some((m) => m.metric === 'cpu_usage' && m.z < -2)).toBe(true);
    expect(ranked[0].entity).toBe('checkoutservice');
    expect(ranked[0].explanation.traceShift?.calls?.window ?? 1).toBeLessThan(0.7);
  });
});
