import { describe, expect, it } from 'vitest';
import { describeTraceShift } from '../../src/model/trace-shift-words.js';

describe('a trace shift in words', () => {
  it('says which way the suspect moved: its errors, its own time, its wire, or its replies', () => {
    expect(describeTraceShift({ operation: 'GetCart', kind: 'own', latencyZ: 2, errorZ: 5.8 })).toBe(
      'errors start in GetCart (z 5.80)',
    );
    expect(describeTraceShift({ operation: 'GetCart', kind: 'own', latencyZ: 12.34, errorZ: 0 })).toBe(
      'GetCart took longer itself (z 12.3)',
    );
    expect(describeTraceShift({ operation: 'network (2 call edges)', kind: 'wire', latencyZ: 250.4, errorZ: 0 })).toBe(
      'network (2 call edges): slower on the wire (z 250)',
    );
    expect(describeTraceShift({ operation: 'reply delay (1 caller)', kind: 'reply', latencyZ: 47.9, errorZ: 0 })).toBe(
      'reply delay (1 caller): callers wait longer after its spans end (z 47.9)',
    );
  });

  it("says when a call drop was confirmed by the callee's own fall in load", () => {
    const calls = { child: 'payment', normal: 1, window: 0.75 };
    const shift = { operation: 'PlaceOrder', kind: 'own' as const, latencyZ: 0, errorZ: 0, callsZ: 4.07 };
    expect(describeTraceShift({ ...shift, calls: { ...calls, confirmed: true } })).toBe(
      "PlaceOrder calls payment in 75% of its spans (was 100%) (z 4.07, with payment's load falling)",
    );
    expect(describeTraceShift({ ...shift, calls })).toBe(
      'PlaceOrder calls payment in 75% of its spans (was 100%) (z 4.07)',
    );
  });
});
