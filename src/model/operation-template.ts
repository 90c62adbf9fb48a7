/**
 * A span name as its route: identifiers in URL paths become `{id}` and a query string is dropped, so one
 * route is one operation. Instrumentation that names a span by its raw URL (`GET /product/OLJCESPC7Z`,
 * an HTTP client's `/api/v1/orders/3fa85f64-…`) otherwise makes an operation of every request: each
 * has too few spans to judge, call patterns scatter over one-off names, and the graph grows a node per
 * request. Pure.
 */

/** What stands in for an identifier, as route templates write one. */
export const ID_PLACEHOLDER = '{id}';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_WITH_DIGIT = /^(?=[^0-9]*[0-9])[0-9a-f]{8,}$/i;
const DIGITS = /^[0-9]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const HAS_DIGIT = /[0-9]/;
// A date or a timestamp (2024-01-01, 2024-01-01T10:00:00Z): a value, whatever its separators.
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9:]+)?)?$/i;
// A version or protocol segment keeps its digits: v1, v2beta1, 1.2.3, oauth2.
const VERSION = /^(v[0-9]+([a-z]+[0-9]*)?|[0-9]+(\.[0-9]+)+)$/i;
// Long enough that a word with a digit is more likely a key than a name (OLJCESPC7Z, a7f3kq9z).
const KEY_MIN_LENGTH = 8;
const KEY_MIN_DIGITS = 4;

/** True when a path segment is a value, not part of the route. */
export function isIdentifierSegment(segment: string): boolean {
  // An e-mail address; a leading @ is a package scope (/@types/node), a name.
  if (EMAIL.test(segment)) return true;
  // Percent-encoding carries user input (a search term, a name with a space).
  if (/%[0-9a-f]{2}/i.test(segment)) return true;
  // Every other kind of value holds a digit: most segments are words, answered by this scan alone.
  if (!HAS_DIGIT.test(segment) || VERSION.test(segment)) return false;
  if (DIGITS.test(segment) || UUID.test(segment) || HEX_WITH_DIGIT.test(segment) || DATE_TIME.test(segment))
    return true;
  // A list of values (123,456) is a value.
  if (segment.includes(',')) return segment.split(',').every((v) => v !== '' && isIdentifierSegment(v));
  // A dotted word is a name (pkg.v1.Service, app.2.js), not a key.
  if (!/^[a-z0-9_-]+$/i.test(segment)) return false;
  // Words joined by - or _ (orders-v2, x86_64, k8s-clusters) are a name unless one of them is a key.
  return segment.split(/[-_]/).some(isKeyPart);
}

/**
 * One word of a segment is a key when it is mostly digits (a train G1234, a date 20240101) or, long
 * enough, looks generated rather than spelt: capitals with no lower-case syllable (OLJCESPC7Z,
 * dQw4w9WgXcQ) or digits in two places (a7f3kq9z). A word keeps one run of digits (oauth2callback,
 * base64url, h264stream) or capitals with lower-case syllables (OAuth2Callback).
 */
function isKeyPart(part: string): boolean {
  const digits = part.replace(/[^0-9]/g, '').length;
  if (digits >= KEY_MIN_DIGITS) return true;
  if (digits === 0 || part.length < KEY_MIN_LENGTH) return false;
  if (/[A-Z]/.test(part)) return !/[a-z]{3}/.test(part);
  return (part.match(/[0-9]+/g) ?? []).length >= 2;
}

/**
 * `name` with identifier segments of its URL paths as `{id}` and their query strings and fragments
 * dropped. A path is what follows the first `/` of a word (after `scheme://host` in a URL); what comes
 * before it (`{GET}`, `GET:`, a gRPC service's package) is kept as written.
 */
export function operationTemplate(name: string): string {
  if (!name.includes('/')) return name;
  if (!/\s/.test(name)) return routeOf(name);
  return name
    .split(/(\s+)/)
    .map((word) => (word.includes('/') ? routeOf(word) : word))
    .join('');
}

function routeOf(word: string): string {
  const authority = word.includes('://') ? word.match(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i)?.[0] : undefined;
  const from = authority !== undefined ? authority.length : word.indexOf('/');
  if (from < 0 || from >= word.length) return word;
  const path = word.slice(from);
  const cut = path.search(/[?#]/);
  const bare = cut >= 0 ? path.slice(0, cut) : path;
  return word.slice(0, from) + bare.split('/').map(segmentRoute).join('/');
}

/**
 * One path segment as a route: a value becomes `{id}`; matrix parameters (`;jsessionid=…`) are dropped
 * like a query; a custom method after `:` (`123:undelete`, Google's API style) stays after the value.
 */
function segmentRoute(segment: string): string {
  const semi = segment.indexOf(';');
  const bare = semi >= 0 ? segment.slice(0, semi) : segment;
  if (isIdentifierSegment(bare)) return ID_PLACEHOLDER;
  const colon = bare.indexOf(':');
  if (colon <= 0) return bare;
  const head = bare.slice(0, colon);
  return isIdentifierSegment(head) ? `${ID_PLACEHOLDER}${bare.slice(colon)}` : bare;
}
