import { isNodeLabel } from './graph.js';

/**
 * The readable name at the end of a uid: `Service:default/shop/cartservice` → `cartservice`,
 * `Alert:fp1` → `fp1`. A string that is not a uid (no known `Label:` prefix) is returned as its last
 * `/`-part, so plain entity names (`cartservice`, `a:b`) pass through unchanged. Pure.
 */
export function shortName(entity: string): string {
  const colon = entity.indexOf(':');
  const body = colon > 0 && isNodeLabel(entity.slice(0, colon)) ? entity.slice(colon + 1) : entity;
  const tail = body.slice(body.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(tail);
  } catch {
    // A lone `%` in a plain name is not an escape.
    return tail;
  }
}
