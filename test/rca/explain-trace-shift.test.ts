import { describe, expect, it } from 'vitest';
import { whyLine } from '../../src/flow/rca-job.js';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { readWritten, simCaseFiles } from '../cases/helpers/sim-case.js';

async function top(fault: { type: 'network-delay' | 'error-return'; target: string }) {
  const a = analyseCase(await readWritten(simCaseFiles(fault, 4, { logs: false })));
  return rankRootCauses(a, defaultWeights(), { method: 'fused', rng: seededRng(1) })[0];
}

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
});
