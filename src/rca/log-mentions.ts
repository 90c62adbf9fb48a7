/**
 * Caller→callee blame for logs: an error line in which a service names a service it calls
 * ("failed to call checkoutservice/PlaceOrder: context deadline exceeded") is its report on that
 * callee, as a trace's client span is (MicroRank, TraceRCA blame the callee a caller's failed call
 * points at). Such lines count as the named callee's log evidence, not the writer's own, so the
 * loudest reporter (usually the front end, which logs every failed request) does not take the blame
 * for what it reports. Only services downstream of the writer on the call graph are matched, as whole
 * names, so a word in a message that happens to be some unrelated service's name blames nobody. Pure.
 */
import { reachable, type BehaviourGraph } from './behaviour-graph.js';
import type { LogBlame } from './log-evidence.js';

/**
 * A LogBlame over `graph`: the first downstream service a log line names, else the writer. `names`
 * gives an entity's name where entities are ids (hosts are never blamed). `writers`: only these
 * writers' lines may blame another (the others keep theirs), for a graph whose direction is known
 * from one node only (a metrics skeleton around a named alarm entry).
 */
export function calleeMentionBlame(
  graph: BehaviourGraph,
  opts: { hosts?: Uint8Array; names?: ReadonlyMap<string, string>; writers?: ReadonlySet<string> } = {},
): LogBlame {
  const { hosts, names, writers } = opts;
  const downstream = new Map<string, Array<{ name: string; lower: string }>>();
  const below = (writer: string) => {
    let list = downstream.get(writer);
    if (list) return list;
    list = [];
    const root = graph.index.get(writer);
    const own = (names?.get(writer) ?? writer).toLowerCase();
    for (const callee of root === undefined ? [] : reachable(graph.out, root, hosts)) {
      const lower = (names?.get(graph.nodes[callee]) ?? graph.nodes[callee]).toLowerCase();
      // The writer's own workload (its Deployment, named as it is) is the writer, not a callee.
      if (lower !== own) list.push({ name: graph.nodes[callee], lower });
    }
    downstream.set(writer, list);
    return list;
  };
  return (writer, message) => {
    if (writers && !writers.has(writer)) return writer;
    const text = message.toLowerCase();
    let best: string = writer,
      at = Infinity;
    for (const c of below(writer)) {
      const i = wholeNameAt(text, c.lower);
      if (i >= 0 && i < at) {
        best = c.name;
        at = i;
      }
    }
    return best;
  };
}

// Index of `name` in `text` as a whole name (not inside a longer word or hyphenated name), else -1.
function wholeNameAt(text: string, name: string): number {
  if (name.length === 0) return -1;
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (!isNameChar(text.charCodeAt(i - 1)) && !isNameChar(text.charCodeAt(i + name.length))) return i;
  }
  return -1;
}

// Letters, digits, '_' and '-' continue a service name ("redis-cart" does not name "cart").
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
