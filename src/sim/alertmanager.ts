/**
 * Simulated alerts as the Alertmanager webhook (payload version 4) would deliver them: alerts grouped
 * by `groupBy` labels; a group's first notification after group_wait, later changes batched every
 * group_interval, and while anything fires a repeat every repeat_interval (the storm's repeats).
 * Timing rules from prometheus/alertmanager dispatch.go; payload fields from its webhook docs.
 */
import type { SimAlert } from './types.js';

/** Alertmanager route timing (its defaults are 30 s / 5 m / 4 h; repeat shortened for storms). */
export const DEFAULTS = {
  groupBy: ['alertname', 'service'] as readonly string[],
  groupWaitS: 30,
  groupIntervalS: 300,
  repeatIntervalS: 3_600,
  receiver: 'rootgraph',
  externalURL: 'http://alertmanager.monitoring:9093',
} as const;

/** Route timing and receiver of the simulated Alertmanager (seconds). */
export interface WebhookOptions {
  groupBy: readonly string[];
  groupWaitS: number;
  groupIntervalS: number;
  repeatIntervalS: number;
  receiver: string;
  externalURL: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One webhook delivery: when it is sent (unix ms) and its JSON body. */
export interface WebhookDelivery {
  at: number;
  payload: Record<string, unknown>;
}

/** All webhook deliveries for `alerts`, in time order. `endMs` is the end of the run. Pure. */
export function toAlertmanagerWebhooks(
  alerts: SimAlert[],
  endMs: number,
  opts: Partial<WebhookOptions> = {},
): WebhookDelivery[] {
  const o: WebhookOptions = { ...DEFAULTS, ...opts };
  const groups = new Map<string, SimAlert[]>();
  for (const a of alerts) {
    const key = o.groupBy.map((k) => `${k}="${a.labels[k] ?? ''}"`).join(', ');
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const out: WebhookDelivery[] = [];
  for (const [key, members] of groups) {
    const events = [
      ...new Set(members.flatMap((a) => (a.endsAt === null ? [a.startsAt] : [a.startsAt, a.endsAt]))),
    ].sort((x, y) => x - y);
    let last = -Infinity;
    let i = 0;
    while (i < events.length) {
      const at = Math.max(events[i] + (last === -Infinity ? o.groupWaitS * 1000 : 0), last + o.groupIntervalS * 1000);
      if (at > endMs) break;
      while (i < events.length && events[i] <= at) i++;
      out.push({ at, payload: payload(key, members, at, last, o) });
      // Repeats while something still fires and nothing new happens.
      let next = at + o.repeatIntervalS * 1000;
      const nextEvent = i < events.length ? events[i] : Infinity;
      last = at;
      while (
        next < Math.min(nextEvent, endMs) &&
        members.some((a) => a.startsAt <= next && (a.endsAt === null || a.endsAt > next))
      ) {
        out.push({ at: next, payload: payload(key, members, next, last, o) });
        last = next;
        next += o.repeatIntervalS * 1000;
      }
    }
  }
  return out.sort((x, y) => x.at - y.at);
}

function payload(
  key: string,
  members: SimAlert[],
  at: number,
  last: number,
  o: WebhookOptions,
): Record<string, unknown> {
  const shown = members.filter((a) => a.startsAt <= at && (a.endsAt === null || a.endsAt > at || a.endsAt > last));
  // One entry per fingerprint: the latest episode (Alertmanager keeps one alert per label set).
  const byFp = new Map<string, SimAlert>();
  for (const a of shown) byFp.set(a.fingerprint, a);
  const list = [...byFp.values()];
  const firing = (a: SimAlert): boolean => a.endsAt === null || a.endsAt > at;
  const common = (pick: (a: SimAlert) => Record<string, string>): Record<string, string> => {
    const first = list.length > 0 ? pick(list[0]) : {};
    return Object.fromEntries(Object.entries(first).filter(([k, v]) => list.every((a) => pick(a)[k] === v)));
  };
  const groupLabels = Object.fromEntries(
    o.groupBy.flatMap((k) => (list[0]?.labels[k] !== undefined ? [[k, list[0].labels[k]]] : [])),
  );
  return {
    version: '4',
    groupKey: `{}:{${key}}`,
    truncatedAlerts: 0,
    status: list.some(firing) ? 'firing' : 'resolved',
    receiver: o.receiver,
    groupLabels,
    commonLabels: common((a) => a.labels),
    commonAnnotations: common((a) => a.annotations),
    externalURL: o.externalURL,
    alerts: list.map((a) => ({
      status: firing(a) ? 'firing' : 'resolved',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: firing(a) ? ZERO_TIME : new Date(a.endsAt!).toISOString(),
      generatorURL: `http://prometheus.monitoring:9090/graph?g0.expr=ALERTS%7Balertname%3D%22${encodeURIComponent(a.labels.alertname)}%22%7D`,
      fingerprint: a.fingerprint,
    })),
  };
}
