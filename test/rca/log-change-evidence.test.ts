import { describe, expect, it } from 'vitest';
import { scoreChanges } from '../../src/rca/change-evidence.js';
import { templateText } from '../../src/logs/mask.js';
import { errorRatio, isLatencyReport, scoreLogs, type LogIn } from '../../src/rca/log-evidence.js';

const START = 100_000;

describe('log evidence', () => {
  it('a new error template and a surging one score; a steady one does not', () => {
    const logs: LogIn[] = [];
    for (let t = START - 7_200; t < START + 600; t += 60) {
      // steady: one error a minute before and after
      logs.push({ timestamp: t, entity: 'steady', level: 'ERROR', message: `retrying request ${t}` });
      // surging: one every 10 min before, six a minute after
      if (t < START && t % 600 === 0)
        logs.push({ timestamp: t, entity: 'surging', level: 'error', message: 'pool exhausted after 30 ms' });
      if (t >= START)
        for (let k = 0; k < 6; k++)
          logs.push({ timestamp: t + k, entity: 'surging', level: 'error', message: `pool exhausted after ${k} ms` });
      // new: never before the start, then every minute
      if (t >= START)
        logs.push({ timestamp: t, entity: 'new', level: 'FATAL', message: `charge failed for order ${t}` });
      // info lines never count
      logs.push({ timestamp: t, entity: 'chatty', level: 'INFO', message: `served ${t}` });
    }
    const ev = scoreLogs(logs, START);
    expect(ev.get('surging')?.score ?? 0).toBeGreaterThan(5);
    expect(ev.get('new')?.score ?? 0).toBeGreaterThan(5);
    expect(ev.get('steady')?.score ?? 0).toBeLessThan(2);
    expect(ev.has('chatty')).toBe(false);
    expect(ev.get('new')?.templates[0].template).toBe('charge failed for order <*>');
  });

  it('judges every line of a writer that states no level, and only its error lines otherwise', () => {
    const logs: LogIn[] = [];
    for (let t = START - 3_600; t < START + 600; t += 60) {
      // Bare stdout: a steady line, then a new one every minute from the start.
      logs.push({ timestamp: t, entity: 'bare', level: '', message: `served request ${t}` });
      if (t >= START) logs.push({ timestamp: t, entity: 'bare', level: '', message: `charge failed ${t}` });
      // A levelled writer's unlabelled lines are its continuation lines: not judged.
      logs.push({ timestamp: t, entity: 'levelled', level: 'INFO', message: `served request ${t}` });
      if (t >= START) logs.push({ timestamp: t, entity: 'levelled', level: '', message: `cache warmed ${t}` });
    }
    // A blame that would hand every line naming `cart` to cart: bare lines are no reports.
    const ev = scoreLogs(logs, START, { blame: (writer, t) => (t.includes('charge') ? 'cart' : writer) });
    expect(ev.has('cart')).toBe(false);
    expect(ev.get('bare')?.errorRatio.z ?? 0).toBe(0);
    const [top, ...rest] = ev.get('bare')?.templates ?? [];
    expect(top.template).toBe('charge failed <*>');
    expect(rest.every((h) => h.z < 2)).toBe(true);
    expect(ev.get('bare')?.score ?? 0).toBeGreaterThan(5);
    expect(ev.has('levelled')).toBe(false);
  });

  it('keeps a baseline when the logs start less than the guard before the fault', () => {
    // Eight minutes of history: a fixed 10-minute guard would leave no normal lines at all, and the
    // steady template would look new.
    const logs: LogIn[] = [];
    for (let t = START - 480; t < START + 300; t += 10) {
      logs.push({ timestamp: t, entity: 'steady', level: 'ERROR', message: `retrying request ${t}` });
      if (t >= START) logs.push({ timestamp: t, entity: 'new', level: 'ERROR', message: `charge failed ${t}` });
    }
    const ev = scoreLogs(logs, START);
    expect(ev.get('steady')?.score ?? 0).toBeLessThan(2);
    expect(ev.get('new')?.score ?? 0).toBeGreaterThan(5);
  });
});

describe('log evidence: warnings and the error-level ratio', () => {
  it('a new warning template counts, with numbers-with-units masked into one template', () => {
    const logs: LogIn[] = [];
    for (let t = START - 7_200; t < START + 600; t += 30) {
      logs.push({ timestamp: t, entity: 'delayed', level: 'INFO', message: `served request ${t}` });
      logs.push({ timestamp: t, entity: 'quiet', level: 'INFO', message: `served request ${t}` });
      // Each line carries its own round-trip time: still one template, not one per value.
      if (t >= START)
        logs.push({ timestamp: t, entity: 'delayed', level: 'WARN', message: `response delayed: rtt=${t % 400}ms` });
    }
    expect(templateText('response delayed: rtt=296ms')).toBe(templateText('response delayed: rtt=31ms'));
    // Sizes in any unit and ids with letters are variables too.
    expect(templateText('GC pause 394ms, heap 95MiB of 128MiB in use')).toBe('GC pause <*>, heap <*> of <*> in use');
    expect(templateText('order 7X2KQ9 failed after 3 retries')).toBe('order <*> failed after <*> retries');
    // A compact JSON line: each value is masked alone, so the fields between two ids stay.
    const json = (id: string, path: string) =>
      `{"error":"failed to get ads","http.req.id":"${id}","http.req.method":"GET","http.req.path":"${path}","severity":"warning"}`;
    expect(templateText(json('5b1b2c3d-1111-4222-8333-944455556666', '/product/OLJCESPC7Z'))).toBe(
      '{"error": "failed to get ads", "http.req.id": "<*>", "http.req.method": "GET", "http.req.path": "<*>", "severity": "warning"}',
    );
    expect(templateText(json('77aa2c3d-1111-4222-8333-944455559999', '/cart'))).toBe(
      templateText(json('5b1b2c3d-1111-4222-8333-944455556666', '/product/OLJCESPC7Z')),
    );
    const ev = scoreLogs(logs, START);
    expect(ev.get('delayed')?.templates[0].windowCount).toBe(20);
    expect(ev.get('delayed')?.score ?? 0).toBeGreaterThan(10);
    expect(ev.has('quiet')).toBe(false);
  });

  it("a service's reports of its own slowness count for the log score, not for its own state", () => {
    const logs: LogIn[] = [];
    for (let t = START - 7_200; t < START + 600; t += 30) {
      logs.push({ timestamp: t, entity: 'front', level: 'INFO', message: `served request ${t}` });
      logs.push({ timestamp: t, entity: 'leaky', level: 'INFO', message: `served request ${t}` });
      if (t >= START) {
        logs.push({
          timestamp: t,
          entity: 'front',
          level: 'WARN',
          message: `slow request: GET /cart took ${t % 900}ms`,
        });
        logs.push({
          timestamp: t,
          entity: 'leaky',
          level: 'WARN',
          message: `GC pause ${t % 90}ms, heap ${t % 128}MiB`,
        });
      }
    }
    const ev = scoreLogs(logs, START);
    const front = ev.get('front')!,
      leaky = ev.get('leaky')!;
    // The same burst of warnings: the same log score, but only the GC pauses are the writer's own state.
    expect(front.score).toBeCloseTo(leaky.score, 6);
    expect(leaky.ownScore).toBe(leaky.score);
    expect(front.ownScore).toBe(0);
    expect(front.errorRatio.z).toBe(0);
  });

  it.each([
    ['slow request: GET <*> took <*> (threshold <*>)', true],
    ['query latency=<*>', true],
    ['Slow query: SELECT * FROM orders (<*>)', true],
    // A failure that also says how long it took, a configuration error, a word without a measured time.
    ['failed to place order, took <*>: payment declined', false],
    ['invalid duration "<*>"', false],
    ['session duration exceeded', false],
    ['setting took effect', false],
    ['Slow consumer detected on topic orders', false],
  ])('%s is a slowness report: %s', (template, expected) => {
    expect(isLatencyReport(template)).toBe(expected);
  });

  it('the error-level ratio flags a service whose known errors became a large share of its lines', () => {
    // Normal: 1 error in 100 lines; window: 30 in 60. Every error template was seen before.
    expect(errorRatio([1, 30], [100, 60], 0.5).z).toBeGreaterThan(5);
    // Same share before and after: nothing.
    expect(errorRatio([10, 6], [100, 60], 0.5).z).toBeLessThan(1);
    expect(errorRatio([0, 0], [100, 0], 0.5).z).toBe(0);
    const logs: LogIn[] = [];
    for (let t = START - 6_000; t < START + 600; t += 60) {
      const inWindow = t >= START;
      for (let k = 0; k < 10; k++) {
        const bad = inWindow ? k < 6 : k === 0 && t % 600 === 0;
        logs.push({
          timestamp: t + k,
          entity: 'flaky',
          level: bad ? 'ERROR' : 'INFO',
          message: bad ? 'db timeout' : 'ok',
        });
      }
    }
    const ev = scoreLogs(logs, START).get('flaky');
    expect(ev?.errorRatio.window ?? 0).toBeGreaterThan(0.5);
    expect(ev?.errorRatio.z ?? 0).toBeGreaterThan(5);
  });
});

describe('change evidence', () => {
  it('a change right before the start scores near 1, an hour-old one near 0, a later one not at all', () => {
    const ev = scoreChanges(
      [
        { entity: 'fresh', at: START - 60, description: 'rollout v2' },
        { entity: 'old', at: START - 3_500, description: 'config edit' },
        { entity: 'late', at: START + 3_600, description: 'scale up' },
      ],
      START,
    );
    expect(ev.get('fresh')?.score).toBeGreaterThan(0.95);
    expect(ev.get('old')?.score).toBeLessThan(0.05);
    expect(ev.has('late')).toBe(false);
  });
});
