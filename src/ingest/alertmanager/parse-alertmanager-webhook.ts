import { cleanName, timeProblem, type ReceiveOptions } from '../input-limits.js';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { alertEntity } from './alert-entity.js';
import type { AlertRecord, ParsedAlerts } from '../../model/alert-record.js';
import { alertFingerprint } from './fingerprint.js';

// Alertmanager webhook payload, version 4: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config

/** Go's zero time (`0001-01-01T00:00:00Z`) and anything before 1971 mean "not set". */
const UNSET_BEFORE_MS = Date.UTC(1971, 0, 1);

/**
 * A label or annotation map. Copied with own properties so that every key survives, `__proto__`
 * included (an assignment-built object would drop it and change the alert's identity).
 */
const StringMap = z
  .custom<Record<string, string>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'expected an object of strings',
  )
  .superRefine((m, ctx) => {
    for (const [k, v] of Object.entries(m))
      if (typeof v !== 'string')
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `expected a string, got ${v === null ? 'null' : typeof v}`,
        });
  })
  .transform((m) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m))
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

const Rfc3339 = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `not an RFC 3339 time: ${JSON.stringify(s.slice(0, 40))}` });
    return z.NEVER;
  }
  return ms;
});

const AlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: StringMap.refine((m) => Object.keys(m).length > 0, 'an alert needs at least one label'),
  annotations: StringMap.optional(),
  startsAt: Rfc3339,
  endsAt: Rfc3339.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{1,16}$/, 'expected up to 16 lower-case hex digits')
    .optional(),
});

const EnvelopeSchema = z.object({
  version: z.literal('4').optional(),
  alerts: z.array(z.unknown()),
});

/** `['alerts', 3, 'startsAt']` → `alerts[3].startsAt`. */
function pathString(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

function firstIssue(err: z.ZodError, prefix: ReadonlyArray<PropertyKey>): { where: string; reason: string } {
  const issue = err.issues[0];
  return { where: pathString([...prefix, ...issue.path]), reason: issue.message };
}

function toRecord(a: z.infer<typeof AlertSchema>, cluster: string | undefined): AlertRecord {
  const endsAt = a.endsAt !== undefined && a.endsAt >= UNSET_BEFORE_MS ? a.endsAt : null;
  // Stored and shown without control or bidi-override characters (they could spoof names on cards).
  const labels = Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [k, cleanName(v)]));
  return {
    fingerprint: a.fingerprint ?? alertFingerprint(a.labels),
    name: labels.alertname ?? '',
    status: a.status,
    labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt,
    endsAt,
    generatorURL: a.generatorURL ? a.generatorURL : null,
    entity: alertEntity(labels, cluster),
  };
}

/**
 * Validates one Alertmanager webhook payload (an already-decoded JSON value) and returns its alerts
 * as records. A bad alert is rejected with its path (`alerts[3].startsAt`) while the good ones are
 * kept; `accepted.length + rejected.length` always equals the number of alerts sent.
 * Throws `InputError` (and nothing else) when the payload is not an object with an `alerts` array
 * or has a version other than "4". `source` prefixes error paths (`alerts.jsonl › line 7`).
 * `opts.cluster` is the graph's cluster for alerts without a `cluster` label. With a
 * receiving clock (`opts.nowMs`), an alert whose startsAt is past the future bound is rejected; there is
 * no past bound, since Alertmanager resends a long-firing alert with the startsAt it first fired at. Pure.
 */
export function parseAlertmanagerWebhook(
  payload: unknown,
  source = '',
  opts: ReceiveOptions & { cluster?: string } = {},
): ParsedAlerts {
  const at = (where: string) => (source ? `${source} › ${where}` : where);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InputError(source, 'expected an Alertmanager webhook payload (a JSON object with "alerts")');
  }
  const env = EnvelopeSchema.safeParse(payload);
  if (!env.success) {
    const { where, reason } = firstIssue(env.error, []);
    throw new InputError(at(where), reason, {
      hint: 'Point an Alertmanager webhook_config (version 4 payload) at rootgraph.',
    });
  }
  const out: ParsedAlerts = { accepted: [], rejected: [] };
  env.data.alerts.forEach((raw, index) => {
    const parsed = AlertSchema.safeParse(raw);
    if (!parsed.success) {
      out.rejected.push({ index, ...firstIssue(parsed.error, ['alerts', index]) });
      return;
    }
    const skew = timeProblem(parsed.data.startsAt, { ...opts, maxPastMs: 0 });
    if (skew) out.rejected.push({ index, where: `alerts[${index}].startsAt`, reason: skew });
    else out.accepted.push(toRecord(parsed.data, opts.cluster));
  });
  return out;
}
