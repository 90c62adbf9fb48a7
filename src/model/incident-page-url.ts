/**
 * Links to rootgraph's incident web page (bots/web), for the Slack card, the chat and the console. A
 * link may carry a signature (HMAC-SHA256 of the path and its expiry), so a browser opened from Slack
 * needs no bearer header. Pure: the caller passes the clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How to sign a link: the server's secret and when the link stops working (unix seconds). */
export interface LinkSigning {
  secret: string;
  expiresAtS: number;
}

/**
 * The canonical form a signature covers: the path, and the query sorted without `exp` and `sig`.
 * `/incidents/7/feedback` and `/incidents/7/graph.png` are covered by the signature of `/incidents/7` (the
 * page's own buttons, and its picture for a chat that cannot reach the page).
 */
export function signedScope(pathWithQuery: string): string {
  const [path, query = ''] = pathWithQuery.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('exp');
  params.delete('sig');
  params.sort();
  const rest = params.toString();
  const scope = path.replace(/\/(feedback|graph\.png)$/, '');
  return rest ? `${scope}?${rest}` : scope;
}

/** The signature of a path (as `signedScope` reads it) valid until `expiresAtS`. Hex, deterministic. */
export function signPath(pathWithQuery: string, s: LinkSigning): string {
  return createHmac('sha256', s.secret)
    .update(`${signedScope(pathWithQuery)}\n${s.expiresAtS}`)
    .digest('hex');
}

/** Appends `exp` and `sig` to a path (keeping its query). */
export function withSignature(pathWithQuery: string, s: LinkSigning): string {
  const sep = pathWithQuery.includes('?') ? '&' : '?';
  return `${pathWithQuery}${sep}exp=${s.expiresAtS}&sig=${signPath(pathWithQuery, s)}`;
}

/** True when `url` (path and query) carries a signature by `secret` that has not expired at `nowS`. */
export function verifySignedPath(url: string, secret: string, nowS: number): boolean {
  const query = new URLSearchParams(url.split('?', 2)[1] ?? '');
  const exp = Number(query.get('exp'));
  const sig = query.get('sig') ?? '';
  if (!Number.isFinite(exp) || exp < nowS || !/^[0-9a-f]{64}$/.test(sig)) return false;
  const want = Buffer.from(signPath(url, { secret, expiresAtS: exp }), 'hex');
  return timingSafeEqual(want, Buffer.from(sig, 'hex'));
}

/**
 * The web page of incident `n` under `publicUrl` (ROOTGRAPH_PUBLIC_URL), signed when `signing` is given.
 * Undefined when no public URL is configured: cards then show no link.
 */
export function incidentPageUrl(publicUrl: string | undefined, n: number, signing?: LinkSigning): string | undefined {
  if (!publicUrl) return undefined;
  const path = `/incidents/${n}`;
  return `${publicUrl.replace(/\/+$/, '')}${signing ? withSignature(path, signing) : path}`;
}

/** The neighbourhood page of an entity (uid or name) under `publicUrl`, for the chat's "show me"; signed when asked. */
export function graphPageUrl(
  publicUrl: string | undefined,
  entity: string,
  opts: { hops?: number; signing?: LinkSigning } = {},
): string | undefined {
  if (!publicUrl) return undefined;
  const path = `/graph?around=${encodeURIComponent(entity)}&hops=${opts.hops ?? 2}`;
  return `${publicUrl.replace(/\/+$/, '')}${opts.signing ? withSignature(path, opts.signing) : path}`;
}

/** The PNG of incident `n`'s propagation graph (for a Slack image block), signed when `signing` is given. */
export function incidentGraphPngUrl(
  publicUrl: string | undefined,
  n: number,
  signing?: LinkSigning,
): string | undefined {
  if (!publicUrl) return undefined;
  const path = `/incidents/${n}/graph.png`;
  return `${publicUrl.replace(/\/+$/, '')}${signing ? withSignature(path, signing) : path}`;
}
