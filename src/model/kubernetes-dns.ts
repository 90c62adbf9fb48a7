/**
 * Reading a Kubernetes DNS name as the Service it addresses. Clients name their callees this way
 * (`server.address`), and exports name entities this way (Istio and Jaeger write `<svc>.<ns>`). Pure.
 */

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** `<svc>.<ns>.svc[.<cluster domain>][.]`, or a StatefulSet pod's `<pod>.<svc>.<ns>.svc…`. */
const SERVICE_DNS = new RegExp(`^(?:${LABEL}\\.)?(${LABEL})\\.(${LABEL})\\.svc(?:\\.[a-z0-9.-]+)?\\.?$`);
/** Istio's and Jaeger's short form, `<svc>.<ns>`. */
const SHORT = new RegExp(`^(${LABEL})\\.(${LABEL})$`);

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
