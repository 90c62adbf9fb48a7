/**
 * Call drops the callees' metrics confirmed (call-volume.ts) as their callers' trace evidence: a trace
 * twin of a metric's move, folded into the trace shift the rest of the analysis reads. Pure.
 */
import type { CallDrop } from './call-drops.js';
import type { TraceShiftResult } from './trace-shift.js';

/**
 * The trace shift with each corroborated drop (call-volume.ts) counted as its caller's call-pattern
 * evidence at the drop's combined z: a new result, the input untouched.
 */
export function withCorroboratedDrops(shift: TraceShiftResult, drops: readonly CallDrop[]): TraceShiftResult {
  if (drops.length === 0) return shift;
  const entities = new Map(shift.entities);
  const operations = shift.operations.map((op) => {
    let drop: CallDrop | undefined;
    for (const d of drops)
      if (d.caller === op.entity && d.operation === op.operation && d.z > Math.max(op.callsZ, drop?.z ?? 0)) drop = d;
    if (!drop) return op;
    const calls = { child: drop.callee, normal: drop.normal, window: drop.window, confirmed: true };
    const lifted = { ...op, callsZ: drop.z, calls };
    const had = entities.get(op.entity);
    if (!had || drop.z > had.score)
      entities.set(op.entity, { score: drop.z, op: lifted, judged: had?.judged ?? lifted.judged });
    return lifted;
  });
  return { ...shift, entities, operations };
}
