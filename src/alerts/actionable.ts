/**
 * Which groups are incidents (posted for someone to look at now) and which are watch items: a group
 * of one alert below the escalating severities is a watch item — the warnings-don't-page rule of
 * Prometheus alerting practice (kube-prometheus routes `severity=warning` to a ticket queue, only
 * `critical` pages), and how event-correlation tools keep lone alerts out of the situation list
 * until something correlates with them. A watch item becomes an incident as soon as a second alert
 * joins it, it turns severe, or it has kept firing for `sustainedMs` (a warning that does not go
 * away is a problem); nothing is dropped either way.
 */

/** Knobs of the incident-or-watch rule. */
export const DEFAULTS = {
  /** A group with at least this many distinct alerts is an incident. */
  minAlerts: 2,
  /** Values of the `severity` label that make even a lone alert an incident. */
  severe: ['critical', 'page', 'error', 'high', 'p1'] as readonly string[],
  /** A watch item whose alert has fired without a break for this long becomes an incident, ms (the 15-min correlation window). */
  sustainedMs: 15 * 60_000,
  /** …checked this much later, since a resolution can reach us that late (Alertmanager's default group_interval), ms. */
  resolutionLagMs: 5 * 60_000,
} as const;

export type ActionableOptions = {
  minAlerts: number;
  severe: readonly string[];
  sustainedMs: number;
  resolutionLagMs: number;
};

/** Whether an alert's labels name an escalating severity. Pure. */
export function isSevere(
  labels: Readonly<Record<string, string>>,
  severe: readonly string[] = DEFAULTS.severe,
): boolean {
  const s = labels.severity?.toLowerCase();
  return s !== undefined && severe.includes(s);
}

/** Whether a group of `alerts` distinct alerts, `severeAlerts` of them severe, is an incident rather than a watch item. Pure. */
export function isActionable(alerts: number, severeAlerts: number, opts: Partial<ActionableOptions> = {}): boolean {
  return severeAlerts > 0 || alerts >= (opts.minAlerts ?? DEFAULTS.minAlerts);
}
