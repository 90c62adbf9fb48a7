/**
 * Links from an incident to the tools an on-call engineer opens next — a dashboard or Prometheus graph
 * of the evidence metric, a trace search, logs, the alert's runbook and source, an Alertmanager
 * silence — built from URL templates the operator configures (README, "Links on the card"). Pure.
 *
 * A template is a URL with `{placeholders}`, each replaced URL-encoded: `{entity}` `{service}` `{pod}`
 * `{namespace}` `{metric}` `{promql}` `{alertname}`, and the window as `{from}`/`{to}` (ms),
 * `{fromS}`/`{toS}` (s), `{fromUs}`/`{toUs}` (µs, Jaeger), `{fromIso}`/`{toIso}`, `{toProm}` (the Prometheus
 * graph page's `YYYY-MM-DD HH:MM:SS` end), `{rangeS}` (seconds).
 */

/** The configured templates; each is optional. */
export interface LinkTemplates {
  /** Grafana (Explore or a dashboard) or the Prometheus graph page, for the evidence metric and window. */
  metrics?: string;
  /** Trace search: Jaeger (`…/search?service={service}&start={fromUs}&end={toUs}`) or Tempo through Grafana. */
  traces?: string;
  /** Logs: Loki through Grafana, or Kibana/Elasticsearch. */
  logs?: string;
  /** Alertmanager's base URL; a silence link prefilled with the alert's matchers is built from it. */
  alertmanager?: string;
  /** A runbook for alerts without a `runbook_url` annotation (`https://runbooks.example/{alertname}`). */
  runbook?: string;
  /** PromQL per metric name (`{service}`, `{pod}`, `{namespace}` filled in); default `<metric>{<kind>="<name>"}`. */
  promql?: Record<string, string>;
  /** rootgraph's own incident page (bots/web): its public URL, and the secret that signs links to it. */
  page?: { publicUrl?: string; secret?: string; linkTtlS: number };
}

/** What a link is about: the entity, the metric or alert, and the time window (ms since epoch). */
export interface LinkSubject {
  entity: string;
  kind?: 'service' | 'pod' | 'machine' | 'other';
  namespace?: string;
  service?: string;
  metric?: string;
  alertname?: string;
  from: number;
  to: number;
}

/** One link on a card: a label people read and the URL. */
export interface CardLink {
  label: string;
  url: string;
}

/** The PromQL that shows `metric` of the subject: the configured template, else a plain selector. */
export function promqlFor(s: LinkSubject, templates: LinkTemplates = {}): string {
  const metric = s.metric ?? 'up';
  const tpl = templates.promql?.[metric];
  const vars = { service: s.service ?? s.entity, pod: s.kind === 'pod' ? s.entity : '', namespace: s.namespace ?? '' };
  if (tpl) return tpl.replace(/\{(service|pod|namespace)\}/g, (_, k: keyof typeof vars) => vars[k]);
  const label = s.kind === 'pod' ? 'pod' : s.kind === 'machine' ? 'instance' : 'service';
  const matchers = [`${label}="${s.entity}"`, ...(s.namespace ? [`namespace="${s.namespace}"`] : [])];
  return `${metric}{${matchers.join(',')}}`;
}

/** Fills a URL template for the subject; placeholders it does not know stay as they are. */
export function fillTemplate(template: string, s: LinkSubject, templates: LinkTemplates = {}): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const vars: Record<string, string> = {
    entity: s.entity,
    service: s.service ?? s.entity,
    pod: s.kind === 'pod' ? s.entity : '',
    namespace: s.namespace ?? '',
    metric: s.metric ?? '',
    alertname: s.alertname ?? '',
    promql: promqlFor(s, templates),
    from: String(Math.floor(s.from)),
    to: String(Math.floor(s.to)),
    fromS: String(Math.floor(s.from / 1000)),
    toS: String(Math.floor(s.to / 1000)),
    fromUs: String(Math.floor(s.from) * 1000),
    toUs: String(Math.floor(s.to) * 1000),
    fromIso: iso(s.from),
    toIso: iso(s.to),
    toProm: iso(s.to).slice(0, 19).replace('T', ' '),
    rangeS: String(Math.max(60, Math.round((s.to - s.from) / 1000))),
  };
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in vars ? encodeURIComponent(vars[k]) : whole));
}

/**
 * Alertmanager's "new silence" page prefilled with the alert's matchers (its labels, without
 * `severity`), so one click silences exactly that alert.
 */
export function silenceUrl(alertmanagerUrl: string, labels: Record<string, string>): string {
  const matchers = Object.entries(labels)
    .filter(([k]) => k !== 'severity')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  return `${alertmanagerUrl.replace(/\/$/, '')}/#/silences/new?filter=${encodeURIComponent(`{${matchers.join(',')}}`)}`;
}

/** True for http(s) URLs: anything else (javascript:, data:) never becomes a link. */
export function isWebUrl(u: string | undefined | null): u is string {
  if (!u) return false;
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
}
