/**
 * The callee a client or producer span names itself, for callees that write no spans of their own (a
 * database, a cache, a broker, a third-party API): OTel's `peer.service`; for a database or messaging
 * client, the server it talks to (`server.address`, or `net.peer.name` before semantic conventions 1.21),
 * else its system (`db.system`, `messaging.system`). A Kubernetes DNS name is read as its namespace and
 * Service (`redis-cart.shop.svc.cluster.local` → `shop/redis-cart`); any other name is the caller's
 * namespace's to resolve. Tempo's and Jaeger's service graphs draw the same "virtual" peers from these
 * attributes. Pure.
 */

import { cleanName, nameProblem } from '../input-limits.js';

/** OTLP SpanKind values that call out. */
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const KIND_NAMES: Record<string, number> = { SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER };

/** The attributes read, in the order the parsers look them up. */
export const PEER_KEYS = ['peer.service', 'db.system', 'messaging.system', 'server.address', 'net.peer.name'] as const;
export type PeerKey = (typeof PEER_KEYS)[number];

/** OTLP JSON's `kind` (an enum number, or its name) as a number; 0 (unspecified) for anything else. */
export function spanKind(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return KIND_NAMES[raw] ?? (/^\d+$/.test(raw) ? Number(raw) : 0);
  return 0;
}

/**
 * The peer a span of `kind` names, given its attribute values by key; undefined when it names none (or
 * a name no entity may have: too long, or empty once control characters are cleaned out).
 */
export function spanPeer(kind: number, attr: (key: PeerKey) => string | undefined): string | undefined {
  if (kind !== SPAN_KIND_CLIENT && kind !== SPAN_KIND_PRODUCER) return undefined;
  const peer = namedPeer(attr);
  if (peer === undefined) return undefined;
  const clean = cleanName(peer);
  return clean && !nameProblem(clean) ? clean : undefined;
}

function namedPeer(attr: (key: PeerKey) => string | undefined): string | undefined {
  const named = attr('peer.service')?.trim();
  if (named) return named;
  const system = attr('db.system')?.trim() || attr('messaging.system')?.trim();
  if (!system) return undefined;
  const host = (attr('server.address') || attr('net.peer.name'))?.trim().toLowerCase();
  return host ? serviceOfHost(host) : system;
}

/** A Kubernetes Service's DNS name (`<svc>.<ns>.svc[.cluster.local]`) as `<ns>/<svc>`; any other host as is. */
function serviceOfHost(host: string): string {
  const k8s = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?\.?$/.exec(host);
  return k8s ? `${k8s[3]}/${k8s[1]}` : host;
}
