/**
 * When sustained SLO anomalies become an incident: k alarmed steps among the last m open an
 * incident; it closes after `quiet` steps without an alarm. A k-of-m rule is the standard way
 * to turn noisy point alarms into pages (Google SRE Workbook, ch. 5 "Alerting on SLOs").
 */

/** Knobs of the incident rule, in steps (see `ruleFor` for the same rule in time). */
export const DEFAULTS = {
  /** Alarmed steps needed … */
  k: 2,
  /** … among this many most recent steps. */
  m: 3,
  /** Steps without any alarm that close an open incident. */
  quiet: 6,
};

/** The rule in time: an anomaly must last `persistS` (and two samples); `quietS` without alarms closes it. */
export const TIMING = {
  persistS: 300,
  quietS: 1_800,
};

/**
 * The k-of-m rule for a resolution of `stepS` seconds: k = max(2, ⌈persistS/step⌉) alarmed steps of
 * the last k + 1, closed after ⌈quietS/step⌉ quiet steps (at least `DEFAULTS.quiet`). At 5-minute
 * steps this is 2 of 3; at 1-minute steps 5 of 6, so a 2-minute blip does not page. Pure.
 */
export function ruleFor(stepS: number, t: Partial<typeof TIMING> = {}): typeof DEFAULTS {
  const o = { ...TIMING, ...t };
  const k = Math.max(2, Math.ceil(o.persistS / stepS - 1e-9));
  return { k, m: k + 1, quiet: Math.max(DEFAULTS.quiet, Math.ceil(o.quietS / stepS - 1e-9)) };
}

/** A declared incident, as step indices: first alarm of the run, the step it was declared at, last alarm. */
export interface DeclaredIncident {
  firstAlarm: number;
  declaredAt: number;
  lastAlarm: number;
}

/** Applies the k-of-m rule to per-step SLO alarms (1 = some SLO series alarmed); `breaks` are steps where the stream jumps. Pure. */
export function declareIncidents(
  sloAlarms: ArrayLike<number>,
  opts: Partial<typeof DEFAULTS> & { breaks?: readonly number[] } = {},
): DeclaredIncident[] {
  const o = { ...DEFAULTS, ...opts };
  const breaks = new Set(o.breaks ?? []);
  const out: DeclaredIncident[] = [];
  let open: DeclaredIncident | undefined;
  let from = 0;
  for (let t = 0; t < sloAlarms.length; t++) {
    // A jump in time (another segment of an offline case) closes whatever was open.
    if (breaks.has(t)) {
      open = undefined;
      from = t;
    }
    const a = sloAlarms[t] ? 1 : 0;
    let inWindow = 0;
    for (let s = Math.max(from, t - o.m + 1); s <= t; s++) inWindow += sloAlarms[s] ? 1 : 0;
    if (open) {
      if (a) open.lastAlarm = t;
      else if (t - open.lastAlarm >= o.quiet) open = undefined;
      continue;
    }
    if (inWindow >= o.k) {
      let first = t;
      for (let s = t; s > t - o.m && s >= from; s--) if (sloAlarms[s]) first = s;
      open = { firstAlarm: first, declaredAt: t, lastAlarm: t };
      out.push(open);
    }
  }
  return out;
}
