import { RootgraphError } from '../../src/errors.js';
import type { Incident } from '../../src/incidents/incident.js';
import { suspectHeadline, toIncidentCard } from '../../src/assistant/incident-card.js';
import { displayName } from '../../src/assistant/resolve-entity.js';

/** Knobs of the PagerDuty client. */
export const DEFAULTS = {
  url: 'https://events.pagerduty.com/v2/enqueue',
  /** Tries per event when PagerDuty answers 429 or 5xx, or the network fails. */
  attempts: 3,
  backoffMs: 500,
  timeoutMs: 10_000,
};

/** An Events API v2 action; one PagerDuty alert per incident, keyed by the dedup key. */
export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

/** Options: the integration's routing key, the endpoint (a local stand-in in tests) and the dedup-key prefix. */
export interface PagerDutyEventsOptions {
  routingKey: string;
  url?: string;
  /** Prefix of dedup keys, so two rootgraph deployments on one PagerDuty service stay apart. */
  dedupPrefix?: string;
  /** Where the incident can be seen (its Slack card), sent as the alert's link. */
  incidentUrl?: (incident: Incident) => string | undefined;
  sleep?: (ms: number) => Promise<void>;
}

/** The event an incident's state calls for: resolved → resolve, acknowledged → acknowledge, else trigger. */
export function actionFor(incident: Incident): PagerDutyAction {
  if (incident.status === 'resolved') return 'resolve';
  return incident.lifecycle?.acknowledged ? 'acknowledge' : 'trigger';
}

const SEVERITY: Record<Incident['severity'], string> = { critical: 'critical', warning: 'warning', info: 'info' };

/**
 * PagerDuty Events API v2 (developer.pagerduty.com/docs/events-api-v2/overview): one PagerDuty alert per
 * incident, triggered, acknowledged and resolved with the same dedup key. A trigger carries the summary,
 * the top suspect and its evidence; PagerDuty deduplicates repeats, so sending the current state again is
 * harmless. 429 and 5xx are retried; other refusals throw CONFIG_INVALID (a bad routing key).
 */
export class PagerDutyEvents {
  private readonly o: Required<Omit<PagerDutyEventsOptions, 'incidentUrl'>> &
    Pick<PagerDutyEventsOptions, 'incidentUrl'>;

  constructor(opts: PagerDutyEventsOptions) {
    this.o = {
      url: DEFAULTS.url,
      dedupPrefix: 'rootgraph',
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...opts,
    };
  }

  /** The client the configuration asks for, or undefined when no routing key is set. */
  static fromConfig(config: { pagerDuty?: { routingKey: string; url: string }; queuePrefix: string }) {
    return config.pagerDuty
      ? new PagerDutyEvents({ ...config.pagerDuty, dedupPrefix: `rootgraph-${config.queuePrefix}` })
      : undefined;
  }

  /** The dedup key of an incident: the same for every event about it. */
  dedupKey(incident: Pick<Incident, 'number'>): string {
    return `${this.o.dedupPrefix}-incident-${incident.number}`;
  }

  /** The Events API v2 body for an incident and action. Pure. */
  body(incident: Incident, action: PagerDutyAction): Record<string, unknown> {
    const base = { routing_key: this.o.routingKey, event_action: action, dedup_key: this.dedupKey(incident) };
    if (action !== 'trigger') return base;
    const card = toIncidentCard(incident);
    const top = card.candidates[0];
    const url = this.o.incidentUrl?.(incident);
    return {
      ...base,
      payload: {
        summary:
          `#${incident.number} ${incident.title}${top ? ` — ${suspectHeadline(card, { score: false })}` : ''}`.slice(
            0,
            1_024,
          ),
        source: incident.entry ? displayName(incident.entry) : 'rootgraph',
        severity: SEVERITY[incident.severity],
        timestamp: new Date(incident.openedAt).toISOString(),
        component: top?.name,
        class: 'incident',
        custom_details: {
          incident: incident.number,
          alerts: card.alerts,
          top_suspect: top ? `${top.name} (score ${top.score.toFixed(2)}): ${top.evidence}` : 'not diagnosed yet',
          impact: card.impact.join('; '),
          ...(card.confidence ? { confidence: card.confidence } : {}),
        },
      },
      client: 'rootgraph',
      ...(url ? { client_url: url, links: [{ href: url, text: `Incident #${incident.number}` }] } : {}),
    };
  }

  /** Sends one event; resolves with PagerDuty's dedup key. */
  async send(incident: Incident, action: PagerDutyAction = actionFor(incident)): Promise<string> {
    const body = JSON.stringify(this.body(incident, action));
    let last: unknown;
    for (let attempt = 1; attempt <= DEFAULTS.attempts; attempt++) {
      try {
        const res = await fetch(this.o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(DEFAULTS.timeoutMs),
        });
        const text = await res.text();
        if (res.status === 202 || res.ok)
          return (JSON.parse(text || '{}') as { dedup_key?: string }).dedup_key ?? this.dedupKey(incident);
        if (res.status !== 429 && res.status < 500)
          throw new RootgraphError(
            'CONFIG_INVALID',
            `PagerDuty refused the ${action} event: ${res.status} ${text.slice(0, 200)}`,
            {
              hint: 'Check ROOTGRAPH_PAGERDUTY_ROUTING_KEY (an Events API v2 integration key).',
            },
          );
        last = new RootgraphError('UNAVAILABLE', `PagerDuty answered ${res.status}`);
      } catch (err) {
        if (err instanceof RootgraphError && err.code === 'CONFIG_INVALID') throw err;
        last = err;
      }
      if (attempt < DEFAULTS.attempts) await this.o.sleep(DEFAULTS.backoffMs * 2 ** (attempt - 1));
    }
    throw new RootgraphError('UNAVAILABLE', `PagerDuty could not be reached: ${(last as Error)?.message ?? last}`, {
      cause: last,
    });
  }
}
