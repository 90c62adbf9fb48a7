import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_SLIPS, parseSlips, podOf, withExportSlips } from '../../src/cases/export-slips.js';
import { normaliseCase } from '../../src/cases/normalise-case.js';
import { readOperationsAsRoutes } from '../../src/cases/operation-routes.js';
import type { CaseData } from '../../src/cases/types.js';
import { sharedName } from '../../src/cases/unify-entity-names.js';
import { readWritten, simCaseFiles, topEntities } from './helpers/sim-case.js';

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

describe('the raw-paths slip', () => {
  it('puts a request’s own id where a route has a path placeholder, and leaves a method prefix alone', () => {
    const span = {
      traceId: 't1',
      spanId: 's1',
      parentSpanId: null,
      entity: 'order',
      operation: '{GET}/api/v1/orders/{orderId}',
      startNs: 0,
      durationNs: 1,
      status: 'ok',
    };
    const c = { spans: [span] } as unknown as CaseData;
    const [slipped] = withExportSlips(c, new Set(['raw-paths'])).spans;
    expect(slipped.operation).toMatch(
      /^\{GET\}\/api\/v1\/orders\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const read = readOperationsAsRoutes({ ...c, spans: [slipped] });
    expect(read.data.spans[0].operation).toBe('{GET}/api/v1/orders/{id}');
  });
});

const top = (c: CaseData) => topEntities(c);

describe('every slip, read back', () => {
  let c: CaseData;
  beforeAll(async () => {
    c = await readWritten(simCaseFiles({ type: 'cpu-hog', target: 'shippingservice' }, 11));
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
