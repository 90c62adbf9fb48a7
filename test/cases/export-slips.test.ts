import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_SLIPS, parseSlips, podOf, withExportSlips } from '../../src/cases/export-slips.js';
import { normaliseCase } from '../../src/cases/normalise-case.js';
import { readCase } from '../../src/cases/read-case.js';
import type { CaseData } from '../../src/cases/types.js';
import { sharedName } from '../../src/cases/unify-entity-names.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { simulate, toCaseFiles } from '../../src/sim/index.js';

describe('parseSlips', () => {
  it('reads a comma list and names the option on an unknown slip', () => {
    expect([...parseSlips(' ms, pod-names ,')]).toEqual(['ms', 'pod-names']);
    expect(() => parseSlips('ms,seconds')).toThrow(/--as-exported.*unknown slip "seconds"/);
  });
});

describe('podOf', () => {
  it('makes Deployment pod names the reader takes for their service', () => {
    for (const e of ['cartservice', 'redis-cart', 'a'])
      expect(sharedName(podOf(e), new Set([e]))).toMatchObject({ to: e });
  });
});

const top = (c: CaseData) =>
  rankRootCauses(analyseCase(c), defaultWeights(), { method: 'fused', rng: seededRng(1) })
    .slice(0, 3)
    .map((r) => r.entity);

describe('every slip, read back', () => {
  let c: CaseData;
  beforeAll(async () => {
    const run = simulate({
      system: 'online-boutique',
      seed: 11,
      start: Date.UTC(2026, 0, 5, 10),
      durationS: 3_600,
      stepS: 30,
      faults: [{ type: 'cpu-hog', target: 'shippingservice', startS: 2_700, durationS: 600 }],
      traceRatePerS: 2,
    });
    const dir = join(await mkdtemp(join(tmpdir(), 'rg-slips-')), 'case');
    await mkdir(dir);
    for (const [name, text] of Object.entries(toCaseFiles(run))) await writeFile(join(dir, name), text);
    c = await readCase(dir);
  });

  it.each(EXPORT_SLIPS)('%s: ranks as the case did', (slip) => {
    const slipped = withExportSlips(c, new Set([slip]));
    expect(slipped).not.toEqual(c);
    expect(top(normaliseCase(slipped))).toEqual(top(c));
  });

  it('costs something unread: traces and logs by pod lose the service its own spans and lines', () => {
    const expected = top(c);
    expect(expected[0]).toBe('shippingservice');
    const raw = withExportSlips(c, new Set(['pod-names', 'ms']));
    expect(top(raw)).not.toEqual(expected);
    expect(top(normaliseCase(raw))).toEqual(expected);
  });
});
