/** Turning per-step alarms into events (contiguous runs), the unit anomalies and incidents are made of. */

/** A run of alarmed steps, inclusive indices into the alarm array. */
export interface AlarmEvent {
  start: number;
  end: number;
}

/**
 * Contiguous runs of alarms; runs separated by at most `mergeGap` quiet steps are merged (a flapping
 * series is one event, not many). Pure.
 */
export function alarmsToEvents(alarms: ArrayLike<number>, mergeGap = 1): AlarmEvent[] {
  const out: AlarmEvent[] = [];
  for (let i = 0; i < alarms.length; i++) {
    if (!alarms[i]) continue;
    const last = out[out.length - 1];
    if (last && i - last.end - 1 <= mergeGap) last.end = i;
    else out.push({ start: i, end: i });
  }
  return out;
}
