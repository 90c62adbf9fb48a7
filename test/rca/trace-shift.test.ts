import { describe, expect, it } from 'vitest';
import type { SpanIn } from '../../src/rca/microrank.js';
import { scoreTraceShift } from '../../src/rca/trace-shift.js';

const START = 100e9;

/** A span of trace `t<i>` starting at second i (with its parent, unless moved: self time is what counts). */
function spanAt(
  i: number,
  id: string,
  parent: string | null,
  entity: string,
  operation: string,
  ms: number,
  status = 'ok',
): SpanIn {
  return {
    traceId: `t${i}`,
    spanId: id,
    parentSpanId: parent,
    entity,
    operation,
    startNs: i * 1e9,
    durationNs: ms * 1e6,
    status,
  };
}

// fe/GET calls cart/get and pay/charge in every trace; one trace a second for 200 s.
function traces(change: (i: number) => { payMs: number; payFails: boolean }): SpanIn[] {
  const out: SpanIn[] = [];
  for (let i = 0; i < 200; i++) {
    const { payMs, payFails } = change(i);
    const cartMs = 5 + (i % 3) * 0.1;
    const feSelfMs = 10 + (i % 5) * 0.2;
    const span = (id: string, parent: string | null, entity: string, operation: string, ms: number, status: string) =>
      out.push(spanAt(i, id, parent, entity, operation, ms, status));
    // The caller waits for both calls: its duration grows with pay's, its own work does not.
    span('r', null, 'fe', 'GET', feSelfMs + cartMs + payMs, payFails ? '500' : 'ok');
    span('c', 'r', 'cart', 'get', cartMs, 'ok');
    span('p', 'r', 'pay', 'charge', payMs, payFails ? 'error' : 'ok');
  }
  return out;
}

describe('trace shift (per-operation self time and error origin)', () => {
  it('a callee that got slower is blamed, not its caller whose span grew by as much', () => {
    const r = scoreTraceShift(
      traces((i) => ({ payMs: (i * 1e9 >= START ? 40 : 10) + (i % 4) * 0.3, payFails: false })),
      START,
    );
    expect(r.entities.get('pay')?.score ?? 0).toBeGreaterThan(10);
    expect(r.entities.get('fe')?.score ?? 0).toBeLessThan(1);
    expect(r.entities.get('cart')?.score ?? 0).toBeLessThan(1);
  });

  it('a caller whose own work slowed is blamed though it calls three services in parallel', () => {
    // fe/GET fans out to three 30 ms calls at once, then works 10 ms (30 ms in the window). Summed, the
    // calls (90 ms) exceed its 41 ms span: its own work only shows when overlapping calls count once.
    const out: SpanIn[] = [];
    for (let i = 0; i < 200; i++) {
      const workMs = (i * 1e9 >= START ? 30 : 10) + (i % 5) * 0.2;
      out.push(spanAt(i, 'r', null, 'fe', 'GET', 1 + 30 + workMs));
      for (const callee of ['cart', 'pay', 'ads'])
        out.push({ ...spanAt(i, callee, 'r', callee, 'get', 30 + (i % 3) * 0.1), startNs: i * 1e9 + 1e6 });
    }
    const r = scoreTraceShift(out, START);
    expect(r.entities.get('fe')?.score ?? 0).toBeGreaterThan(10);
    for (const callee of ['cart', 'pay', 'ads']) expect(r.entities.get(callee)?.score ?? 0).toBeLessThan(1);
  });

  it('a reply held on the wire shows on the call edge though the callee host’s clock is a few ms off', () => {
    // fe's client span wraps cart's server span; cart's reply leg grows from 0.2 to 3.2 ms in the window.
    const wireZ = (skewMs: number) => {
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const replyMs = (i * 1e9 >= START ? 3.2 : 0.2) + (i % 5) * 0.02;
        const cartMs = 5 + (i % 3) * 0.1;
        const clientMs = 0.2 + cartMs + replyMs;
        out.push(spanAt(i, 'r', null, 'fe', 'GET', 2 + clientMs));
        out.push({ ...spanAt(i, 'c', 'r', 'fe', 'call cart', clientMs), startNs: i * 1e9 + 1e6 });
        out.push({ ...spanAt(i, 's', 'c', 'cart', 'get', cartMs), startNs: i * 1e9 + (1.2 + skewMs) * 1e6 });
      }
      return scoreTraceShift(out, START).wires.find((w) => w.caller === 'fe' && w.callee === 'cart')?.latencyZ ?? 0;
    };
    for (const skewMs of [0, 1, 4, -4]) expect(wireZ(skewMs)).toBeGreaterThan(10);
  });

  it('an error is blamed where it starts: a failed span with no failed child', () => {
    const r = scoreTraceShift(
      traces((i) => ({ payMs: 10, payFails: i * 1e9 >= START && i % 2 === 0 })),
      START,
    );
    expect(r.entities.get('pay')?.op.errorZ ?? 0).toBeGreaterThan(5);
    // fe's spans failed too, but only because pay failed under them.
    expect(r.entities.get('fe')?.op.errorZ ?? 0).toBe(0);
  });

  it('a caller that gave up waiting (its call still running when it failed: a 504) is not where the error starts', () => {
    // In the window every other request times out at fe after 3 s while pay's span, still ok, runs on.
    const out: SpanIn[] = [];
    for (let i = 0; i < 200; i++) {
      const hung = i * 1e9 >= START && i % 2 === 0;
      out.push(spanAt(i, 'r', null, 'fe', 'GET', hung ? 3_000 : 20 + (i % 5) * 0.2, hung ? '504' : 'ok'));
      out.push(spanAt(i, 'p', 'r', 'pay', 'charge', hung ? 10_000 : 10 + (i % 4) * 0.3));
    }
    const r = scoreTraceShift(out, START);
    expect(r.operations.find((o) => o.entity === 'fe')?.errorZ).toBe(0);
    expect(r.entities.get('pay')?.score ?? 0).toBeGreaterThan(5);
  });

  it("a service that throws right after its call returns stays the error's origin though the callee's clock runs a little ahead", () => {
    // fe fails in the window on every other request, 0.1 ms after pay's span ends; pay's host clock is 0.5 ms ahead.
    const out: SpanIn[] = [];
    for (let i = 0; i < 200; i++) {
      const fails = i * 1e9 >= START && i % 2 === 0;
      const payMs = 10 + (i % 4) * 0.3;
      out.push(spanAt(i, 'r', null, 'fe', 'GET', payMs + 0.1, fails ? '500' : 'ok'));
      out.push({ ...spanAt(i, 'p', 'r', 'pay', 'charge', payMs), startNs: i * 1e9 + 0.5e6 });
    }
    const r = scoreTraceShift(out, START);
    expect(r.entities.get('fe')?.op.errorZ ?? 0).toBeGreaterThan(5);
  });

  it("a producer that fails stays the error's origin though its message's consumer runs on after it ended", () => {
    // In the window every other publish fails at fe; the consumer's span starts 5 ms after the publish
    // ended (or, its host's clock behind, 0.5 ms before) and runs 50 ms: fe never waited for it.
    for (const afterMs of [5, -0.5]) {
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const fails = i * 1e9 >= START && i % 2 === 0;
        const pubMs = 2 + (i % 4) * 0.1;
        out.push(spanAt(i, 'r', null, 'fe', 'publish', pubMs, fails ? 'error' : 'ok'));
        out.push({ ...spanAt(i, 'q', 'r', 'mail', 'consume', 50), startNs: i * 1e9 + (pubMs + afterMs) * 1e6 });
      }
      const r = scoreTraceShift(out, START);
      expect(r.entities.get('fe')?.op.errorZ ?? 0, `consumer ${afterMs} ms after`).toBeGreaterThan(5);
    }
  });

  it('a small drift in the slow share over many spans is not read as a shift; a large one is', () => {
    // 20,000 spans a side, self time spread over 10-20 ms; `extraSlow` of the window's spans take 30 ms.
    const ops = (extraSlow: number): SpanIn[] =>
      Array.from({ length: 40_000 }, (_, i) => {
        const inWindow = i >= 20_000;
        const k = i % 20_000;
        const slow = inWindow && k % 1000 < extraSlow * 1000;
        return spanAt(0, `s${i}`, null, 'svc', 'op', slow ? 30 : 10 + (k % 100) * 0.1);
      }).map((sp, i) => ({ ...sp, traceId: `t${i}`, startNs: i < 20_000 ? START - 1e9 - i * 1e6 : START + i * 1e6 }));
    const z = (extraSlow: number) => scoreTraceShift(ops(extraSlow), START).entities.get('svc')?.op.latencyZ ?? 0;
    // 4 % → 6.5 % slow: z 10 if every span counted as an independent draw.
    expect(z(0.025)).toBeLessThan(3);
    // 4 % → 14 % (one replica in ten hanging) still shows; 4 % → 44 % clearly.
    expect(z(0.1)).toBeGreaterThan(3);
    expect(z(0.4)).toBeGreaterThan(5);
  });

  it('a slowdown of a share of the calls, or of part of the window, shows in the tail though the median holds', () => {
    // One call in three takes 500 ms instead of 10 after the start: pay's median self time does not move.
    const slowShare = traces((i) => ({
      payMs: i * 1e9 >= START && i % 3 === 0 ? 500 : 10 + (i % 4) * 0.3,
      payFails: false,
    }));
    const r = scoreTraceShift(slowShare, START);
    expect(r.entities.get('pay')?.op.latencyZ ?? 0).toBeGreaterThan(5);
    expect(r.entities.get('fe')?.score ?? 0).toBeLessThan(2);
    expect(scoreTraceShift(slowShare, START, { tailQuantile: 0 }).entities.get('pay')?.op.latencyZ ?? 0).toBeLessThan(
      1,
    );
  });

  it('nothing changed: no operation shifts, and every operation with enough spans is judged', () => {
    const r = scoreTraceShift(
      traces((i) => ({ payMs: 10 + (i % 4) * 0.3, payFails: false })),
      START,
    );
    for (const e of ['fe', 'cart', 'pay']) {
      expect(r.entities.get(e)?.score ?? 0).toBeLessThan(2);
      expect(r.entities.get(e)?.judged).toBe(true);
    }
    // Four spans on the window side are too few to judge.
    const thin = scoreTraceShift(
      traces(() => ({ payMs: 10, payFails: false })).filter((s) => s.startNs < START || s.traceId < 't104'),
      START,
    );
    expect(thin.entities.get('pay')?.judged).toBe(false);
  });

  it("a delay on one pod's network is blamed on that pod: the edges it takes part in slowed on the wire, its callers' other edges did not", () => {
    // OTel-style spans: fe's server span holds client spans (service fe) around each callee's server span;
    // pay calls db the same way. After the start, pay's network adds 30 ms to each of its calls, in and out.
    const out: SpanIn[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = i * 1e9;
      const delay = t0 >= START ? 30 : 0;
      const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
      const add = (id: string, parent: string | null, entity: string, operation: string, ms: number) =>
        out.push(spanAt(i, id, parent, entity, operation, ms));
      const db = 3 + jitter(1);
      const payClientToDb = db + 0.5 + jitter(2) + delay;
      const pay = 4 + jitter(3) + payClientToDb;
      const feClientToPay = pay + 0.5 + jitter(4) + delay;
      const cart = 5 + jitter(5);
      const feClientToCart = cart + 0.5 + jitter(6);
      add('fe', null, 'fe', 'GET /', 10 + jitter(7) + feClientToCart + feClientToPay);
      add('fc', 'fe', 'fe', 'cart.Get', feClientToCart);
      add('c', 'fc', 'cart', 'cart.Get', cart);
      add('fp', 'fe', 'fe', 'pay.Charge', feClientToPay);
      add('p', 'fp', 'pay', 'pay.Charge', pay);
      add('pd', 'p', 'pay', 'db.Query', payClientToDb);
      add('d', 'pd', 'db', 'db.Query', db);
    }
    const r = scoreTraceShift(out, START);
    const score = (e: string) => r.entities.get(e)?.score ?? 0;
    expect(r.wires.find((w) => w.caller === 'fe' && w.callee === 'pay')?.latencyZ ?? 0).toBeGreaterThan(5);
    expect(r.wires.find((w) => w.caller === 'fe' && w.callee === 'cart')?.latencyZ ?? 0).toBeLessThan(2);
    expect(score('pay')).toBeGreaterThan(5);
    for (const other of ['fe', 'cart', 'db']) expect(score(other)).toBeLessThan(score('pay'));
    // fe's own work (its server span less its client spans) did not change.
    expect(r.operations.find((op) => op.entity === 'fe' && op.operation === 'GET /')?.latencyZ ?? 0).toBeLessThan(2);
    expect(score('fe')).toBeLessThan(2);
  });

  it("a delayed pod's callee, whose one edge is the pod's, takes no wire blame; delayed itself, it does", () => {
    // fe → pay → db with client spans; `on` is the pod whose network adds 30 ms to each of its calls.
    const run = (on: 'pay' | 'db') => {
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const after = i * 1e9 >= START;
        const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
        const add = (id: string, parent: string | null, entity: string, operation: string, ms: number) =>
          out.push(spanAt(i, id, parent, entity, operation, ms));
        const db = 3 + jitter(1);
        const payClientToDb = db + 0.5 + jitter(2) + (after ? 30 : 0);
        const pay = 4 + jitter(3) + payClientToDb;
        const feClientToPay = pay + 0.5 + jitter(4) + (after && on === 'pay' ? 30 : 0);
        add('fe', null, 'fe', 'GET /', 10 + jitter(7) + feClientToPay);
        add('fp', 'fe', 'fe', 'pay.Charge', feClientToPay);
        add('p', 'fp', 'pay', 'pay.Charge', pay);
        add('pd', 'p', 'pay', 'db.Query', payClientToDb);
        add('d', 'pd', 'db', 'db.Query', db);
      }
      return scoreTraceShift(out, START);
    };
    const onPay = run('pay');
    expect(onPay.entities.get('pay')?.op.kind).toBe('wire');
    expect(onPay.entities.get('db')?.op.kind).not.toBe('wire');
    expect(onPay.entities.get('db')?.score ?? 0).toBeLessThan(1);
    const onDb = run('db');
    expect(onDb.entities.get('db')?.op.kind).toBe('wire');
    expect(onDb.entities.get('db')?.score ?? 0).toBeGreaterThan(5);
  });

  describe('reply delay in traces without client spans', () => {
    /**
     * fe/GET (server spans only) works `head` ms, calls cart, works 2 ms, calls pay, works 3 ms. After
     * the start either pay's replies come `payReplyMs` late (netem on pay: pay's own span does not
     * grow, fe's gap after it does) or fe's own work takes `feMul` times as long (fe slowed as a whole).
     */
    function serverOnly(change: { payReplyMs?: number; feMul?: number }): SpanIn[] {
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const after = i * 1e9 >= START;
        const mul = after ? (change.feMul ?? 1) : 1;
        const reply = after ? (change.payReplyMs ?? 0) : 0;
        const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
        const cartStart = (4 + jitter(1)) * mul;
        const cart = 5 + jitter(2);
        const payStart = cartStart + cart + (2 + jitter(3)) * mul;
        const pay = 8 + jitter(4);
        const end = payStart + pay + reply + (3 + jitter(5)) * mul;
        const at = (ms: number) => i * 1e9 + ms * 1e6;
        const add = (id: string, parent: string | null, entity: string, op: string, fromMs: number, ms: number) =>
          out.push({ ...spanAt(i, id, parent, entity, op, ms), startNs: at(fromMs) });
        add('fe', null, 'fe', 'GET /', 0, end);
        add('c', 'fe', 'cart', 'cart.Get', cartStart, cart);
        add('p', 'fe', 'pay', 'pay.Charge', payStart, pay);
      }
      return out;
    }
    const scores = (spans: SpanIn[], opts = {}) => {
      const r = scoreTraceShift(spans, START, opts);
      return { r, score: (e: string) => r.entities.get(e)?.score ?? 0 };
    };

    it("a callee's late replies are blamed on the callee, not on the caller whose span grew by as much", () => {
      const { r, score } = scores(serverOnly({ payReplyMs: 40 }));
      expect(score('pay')).toBeGreaterThan(10);
      expect(r.entities.get('pay')?.op.operation).toBe('reply delay (1 caller)');
      expect(score('fe')).toBeLessThan(1);
      expect(score('cart')).toBeLessThan(1);
      // Without reading reply gaps the caller's self time carries the delay, and the caller is blamed.
      const before = scores(serverOnly({ payReplyMs: 40 }), { replyGaps: false });
      expect(before.score('fe')).toBeGreaterThan(10);
      expect(before.score('pay')).toBeLessThan(1);
    });

    it('a caller that returns early waits for its own end after a call: not the callee replying late', () => {
      // In the window fe skips pay in a third of its spans and does pay's 3 ms of closing work after cart.
      const out = serverOnly({}).filter(
        (sp) => !(sp.startNs >= START && sp.spanId === 'p' && Number(sp.traceId.slice(1)) % 3 === 0),
      );
      const skipped = new Set(
        out.filter((sp) => sp.startNs >= START && Number(sp.traceId.slice(1)) % 3 === 0).map((sp) => sp.traceId),
      );
      for (const sp of out)
        if (sp.spanId === 'fe' && skipped.has(sp.traceId)) sp.durationNs = 4e6 + 5e6 + 2e6 + 3e6 + 30e6;
      const { r, score } = scores(out);
      expect(r.replies.find((e) => e.caller === 'fe' && e.callee === 'cart')?.latencyZ ?? 0).toBeLessThan(3);
      expect(score('cart')).toBeLessThan(1);
    });

    /**
     * fe calls cart, then either pay (2 ms after cart's reply) or nothing (12 ms of closing work after
     * it): pay in every `payEvery`-th trace, every 2nd before the start. `cartLate` delays cart's replies
     * by 30 ms in the window.
     */
    function twoPaths(o: { cartLate?: boolean; payEvery?: number }): SpanIn[] {
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const after = i * 1e9 >= START;
        const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
        const cartStart = 4 + jitter(1);
        const cart = 5 + jitter(2);
        const reply = cartStart + cart + (after && o.cartLate ? 30 : 0);
        const callsPay = i % (after ? (o.payEvery ?? 2) : 2) === 0;
        const payStart = reply + 2 + jitter(3);
        const end = callsPay ? payStart + 8 + jitter(4) + 3 : reply + 12 + jitter(3);
        const at = (ms: number) => i * 1e9 + ms * 1e6;
        const add = (id: string, parent: string | null, entity: string, op: string, fromMs: number, ms: number) =>
          out.push({ ...spanAt(i, id, parent, entity, op, ms), startNs: at(fromMs) });
        add('fe', null, 'fe', 'GET /', 0, end);
        add('c', 'fe', 'cart', 'cart.Get', cartStart, cart);
        if (callsPay) add('p', 'fe', 'pay', 'pay.Charge', payStart, 8 + jitter(4));
      }
      return out;
    }

    it('gaps are compared path by path: a new mix of paths is no late reply, a late reply on every path is', () => {
      // In the window fe calls pay in one trace in five: more waits run to its end, each as long as before.
      const mix = scores(twoPaths({ payEvery: 5 }));
      expect(mix.r.replies.find((e) => e.callee === 'cart')?.latencyZ ?? 0).toBeLessThan(3);
      expect(mix.score('cart')).toBeLessThan(1);
      const late = scores(twoPaths({ cartLate: true }));
      expect(late.r.entities.get('cart')?.op.operation).toBe('reply delay (1 caller)');
      expect(late.score('cart')).toBeGreaterThan(10);
    });

    it('a caller slowed as a whole keeps the gaps after its calls as its own: no callee is blamed', () => {
      const { r, score } = scores(serverOnly({ feMul: 3 }));
      expect(score('fe')).toBeGreaterThan(10);
      expect(score('pay')).toBeLessThan(1);
      expect(score('cart')).toBeLessThan(1);
      // The gap after pay grew in time, but not as a share of fe's self time.
      expect(r.replies.find((e) => e.caller === 'fe' && e.callee === 'pay')?.latencyZ ?? 0).toBeLessThan(3);
    });

    it('a caller whose own work after a call grew keeps it when the callee has another caller that saw nothing', () => {
      // fe's work after pay goes from 3 to 40 ms; checkout also calls pay, and its wait after pay is as before.
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const after = i * 1e9 >= START;
        const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
        const at = (ms: number) => i * 1e9 + ms * 1e6;
        const add = (id: string, parent: string | null, entity: string, op: string, fromMs: number, ms: number) =>
          out.push({ ...spanAt(i, id, parent, entity, op, ms), startNs: at(fromMs) });
        const feTail = after ? 40 + jitter(1) : 3 + jitter(1);
        add('fe', null, 'fe', 'GET /', 0, 4 + 8 + feTail);
        add('p1', 'fe', 'pay', 'pay.Charge', 4, 8 + jitter(2));
        add('co', null, 'checkout', 'Place', 500, 4 + 8 + 3 + jitter(3));
        add('p2', 'co', 'pay', 'pay.Charge', 504, 8 + jitter(4));
      }
      const { r, score } = scores(out);
      expect(r.replies.find((e) => e.caller === 'fe' && e.callee === 'pay')?.latencyZ ?? 0).toBeGreaterThan(3);
      expect(score('pay')).toBeLessThan(1);
      expect(score('fe')).toBeGreaterThan(10);
    });

    it('a late reply on one of two calls in parallel blames neither callee', () => {
      // fe calls cart and pay at once; cart's replies come 40 ms late, after pay's span ended.
      const out: SpanIn[] = [];
      for (let i = 0; i < 200; i++) {
        const late = i * 1e9 >= START ? 40 : 0;
        const jitter = (k: number) => ((i * 7 + k) % 5) * 0.1;
        const at = (ms: number) => i * 1e9 + ms * 1e6;
        const add = (id: string, parent: string | null, entity: string, op: string, fromMs: number, ms: number) =>
          out.push({ ...spanAt(i, id, parent, entity, op, ms), startNs: at(fromMs) });
        add('fe', null, 'fe', 'GET /', 0, Math.max(15 + late, 20) + 5 + jitter(1));
        add('c', 'fe', 'cart', 'cart.Get', 10, 5 + jitter(2));
        add('p', 'fe', 'pay', 'pay.Charge', 12, 8 + jitter(3));
      }
      const { score } = scores(out);
      expect(score('pay')).toBeLessThan(1);
      expect(score('cart')).toBeLessThan(1);
    });

    it('nothing changed: no reply edge shifts', () => {
      const { r, score } = scores(serverOnly({}));
      for (const e of ['fe', 'cart', 'pay']) expect(score(e)).toBeLessThan(2);
      expect(r.replies.map((e) => `${e.caller}>${e.callee}`).sort()).toEqual(['fe>cart', 'fe>pay']);
    });
  });
});
