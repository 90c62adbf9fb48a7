/**
 * Reading a Kubernetes DNS name as the Service it addresses. Clients name their callees this way
 * (`server.address`), and exports name entities this way (Istio and Jaeger write `<svc>.<ns>`). Pure.
 */

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** `<svc>.<ns>.svc[.<cluster domain>][.]`, or a StatefulSet pod's `<pod>.<svc>.<ns>.svc…`. */
const SERVICE_DNS = new RegExp(`^(?:${LABEL}\\.)?(${LABEL})\\.(${LABEL})\\.svc(?:\\.[a-z0-9.-]+)?\\.?$`);
/** Istio's and Jaeger's short form, `<svc>.<ns>`. */
const SHORT = new RegExp(`^(${LABEL})\\.(${LABEL})$`);
/** The peer form, `<ns>/<svc>`. */
const PEER = new RegExp(`^(${LABEL})/(${LABEL})$`);

/**
 * The Service and namespace `name` addresses, or null when it is no Kubernetes DNS name (lower case, as
 * DNS names are written; callers lower-case what may not be). `short` also reads `<svc>.<ns>`, which
 * only a context that names entities so can tell from a host name.
 */
export function kubernetesService(
  name: string,
  opts: { short?: boolean } = {},
): { service: string; namespace: string } | null {
  const m = SERVICE_DNS.exec(name) ?? (opts.short ? SHORT.exec(name) : null);
  return m ? { service: m[1], namespace: m[2] } : null;
}

/** A Service as a span's peer names it, `<namespace>/<service>` (span-peer.ts writes it). */
export function peerOfService(s: { service: string; namespace: string }): string {
  return `${s.namespace}/${s.service}`;
}

/** The Service a `<namespace>/<service>` peer names (peer-stand-ins.ts reads it), or null for any other name. */
export function serviceOfPeer(peer: string): { service: string; namespace: string } | null {
  const m = PEER.exec(peer);
  return m ? { service: m[2], namespace: m[1] } : null;
}
