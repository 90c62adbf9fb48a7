/**
 * The callee a database or messaging client span names, for callees that write no spans of their own
 * (a database, a cache, a broker): the span's `peer.service` when it has one; else the server it talks
 * to (`server.address`, or `net.peer.name` before semantic conventions 1.21; a port is dropped); else its
 * system (`db.system`, `messaging.system`). A Kubernetes DNS name is read as its namespace and Service
 * (`redis-cart.shop.svc.cluster.local` and a StatefulSet pod's `pg-0.pg.data.svc.cluster.local` →
 * `shop/redis-cart`, `data/pg`); any other name is the caller's namespace's to resolve. Plain HTTP and
 * gRPC client spans name none: their callees mostly write spans of their own, which may arrive after a
 * stand-in was drawn. Tempo's and Jaeger's service graphs draw the same "virtual" peers. Pure.
 */
import { cleanName, nameProblem } from '../input-limits.js';
import { kubernetesService, peerOfService } from '../../model/kubernetes-dns.js';

/** OTLP SpanKind values that call out. */
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const KIND_NAMES: Record<string, number> = { SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER };

/** The attributes read, in the order the parsers look them up. */
export const PEER_KEYS = ['peer.service', 'db.system', 'messaging.system', 'server.address', 'net.peer.name'] as const;
export type PeerKey = (typeof PEER_KEYS)[number];

/** True for the span kinds that call out (client, producer): the only ones that name a peer. */
export function callsOut(kind: number): boolean {
  return kind === SPAN_KIND_CLIENT || kind === SPAN_KIND_PRODUCER;
}

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
  if (!callsOut(kind)) return undefined;
  const system = attr('db.system')?.trim() || attr('messaging.system')?.trim();
  if (!system) return undefined;
  const named = attr('peer.service')?.trim();
  if (named) return peerName(named);
  const host = (attr('server.address') || attr('net.peer.name'))?.trim();
  return peerName(host ? host.toLowerCase() : system);
}

const peerNames = new Map<string, string | undefined>();

/** serviceOfHost, cleaned and checked as an entity name, remembered: a service's calls name few peers. */
function peerName(raw: string): string | undefined {
  let name = peerNames.get(raw);
  if (name === undefined && !peerNames.has(raw)) {
    const clean = cleanName(serviceOfHost(raw));
    name = clean && !nameProblem(clean) ? clean : undefined;
    if (peerNames.size >= 10_000) peerNames.clear();
    peerNames.set(raw, name);
  }
  return name;
}

/** A Kubernetes DNS name as `<ns>/<svc>`; a `host:port` without its port; any other name as is. */
function serviceOfHost(name: string): string {
  const host = /^[^:]+:\d+$/.test(name) ? name.slice(0, name.lastIndexOf(':')) : name;
  const k8s = kubernetesService(host.toLowerCase());
  return k8s ? peerOfService(k8s) : host;
}
