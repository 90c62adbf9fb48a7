import {
  isEdgeType,
  isNodeLabel,
  type EdgeRecord,
  type GraphBatch,
  type NodeRecord,
  type PropValue,
  type Rejection,
  type Uid,
} from '../model/graph.js';

/** Property names the stores maintain themselves; a record may not set them. */
export const RESERVED_PROPS: ReadonlySet<string> = new Set(['uid', 'firstSeen', 'lastSeen']);
const MAX_UID_LENGTH = 1024;

/** A batch split into what can be written and what cannot (with reasons). */
export interface CheckedBatch {
  nodes: NodeRecord[];
  /** Valid edges with their position in the batch, for reporting. */
  edges: Array<{ edge: EdgeRecord; index: number }>;
  rejected: Rejection[];
  /** Edge end points that are not among the batch's valid nodes: the store must confirm they exist. */
  externalEnds: Set<Uid>;
}

/**
 * Validates a batch's shape without touching a store. Pure. Edges whose end points are neither valid
 * nodes of this batch nor (later) found in the store are rejected by `rejectDanglingEdges`.
 */
export function checkBatch(batch: GraphBatch): CheckedBatch {
  const rejected: Rejection[] = [];
  const nodes: NodeRecord[] = [];
  const labels = new Map<Uid, string>();
  (batch.nodes ?? []).forEach((n, index) => {
    const where = `nodes[${index}]`;
    const reason = nodeProblem(n, labels);
    if (reason)
      rejected.push({
        kind: 'node',
        index,
        where: reason.where ? `${where}.${reason.where}` : where,
        reason: reason.what,
      });
    else {
      labels.set(n.uid, n.label);
      nodes.push(n);
    }
  });
  const edges: CheckedBatch['edges'] = [];
  const externalEnds = new Set<Uid>();
  (batch.edges ?? []).forEach((e, index) => {
    const where = `edges[${index}]`;
    const reason = edgeProblem(e);
    if (reason) {
      rejected.push({
        kind: 'edge',
        index,
        where: reason.where ? `${where}.${reason.where}` : where,
        reason: reason.what,
      });
      return;
    }
    if (!labels.has(e.from)) externalEnds.add(e.from);
    if (!labels.has(e.to)) externalEnds.add(e.to);
    edges.push({ edge: { type: e.type, from: e.from, to: e.to, props: e.props ?? {} }, index });
  });
  return { nodes, edges, rejected, externalEnds };
}

/** The valid edges whose end points exist; each dangling one is added to `checked.rejected`. */
export function rejectDanglingEdges(checked: CheckedBatch, existing: Set<Uid>): EdgeRecord[] {
  const known = (u: Uid) => !checked.externalEnds.has(u) || existing.has(u);
  const kept: EdgeRecord[] = [];
  for (const { edge, index } of checked.edges) {
    const missing = [edge.from, edge.to].filter((u) => !known(u));
    if (missing.length === 0) kept.push(edge);
    else
      checked.rejected.push({
        kind: 'edge',
        index,
        where: `edges[${index}]`,
        reason: `end node ${missing.map((m) => JSON.stringify(m)).join(' and ')} does not exist`,
      });
  }
  return kept;
}

interface Problem {
  where: string;
  what: string;
}

function nodeProblem(n: NodeRecord, seen: Map<Uid, string>): Problem | undefined {
  if (n === null || typeof n !== 'object') return { where: '', what: 'expected an object' };
  if (typeof n.label !== 'string' || !isNodeLabel(n.label))
    return { where: 'label', what: `unknown label ${JSON.stringify(n.label)}` };
  const u = uidProblem(n.uid, 'uid');
  if (u) return u;
  const prior = seen.get(n.uid);
  if (prior !== undefined && prior !== n.label)
    return { where: 'label', what: `uid already used with label ${prior} in this batch` };
  return propsProblem(n.props);
}

function edgeProblem(e: EdgeRecord): Problem | undefined {
  if (e === null || typeof e !== 'object') return { where: '', what: 'expected an object' };
  if (typeof e.type !== 'string' || !isEdgeType(e.type))
    return { where: 'type', what: `unknown relationship type ${JSON.stringify(e.type)}` };
  return uidProblem(e.from, 'from') ?? uidProblem(e.to, 'to') ?? propsProblem(e.props ?? {});
}

function uidProblem(u: unknown, field: string): Problem | undefined {
  if (typeof u !== 'string' || u.length === 0) return { where: field, what: 'expected a non-empty string' };
  if (u.length > MAX_UID_LENGTH) return { where: field, what: `longer than ${MAX_UID_LENGTH} characters` };
  return undefined;
}

function propsProblem(props: unknown): Problem | undefined {
  if (props === null || typeof props !== 'object' || Array.isArray(props))
    return { where: 'props', what: 'expected an object' };
  for (const [k, v] of Object.entries(props)) {
    if (RESERVED_PROPS.has(k)) return { where: `props.${k}`, what: 'is maintained by the store and cannot be set' };
    const bad = valueProblem(v as PropValue);
    if (bad) return { where: `props.${k}`, what: bad };
  }
  return undefined;
}

function valueProblem(v: unknown): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `not a finite number (${v})`;
  if (Array.isArray(v)) {
    const kinds = new Set(v.map((x) => typeof x));
    if (kinds.size > 1) return 'array mixes types';
    const [kind] = kinds;
    if (kind !== undefined && !['string', 'number', 'boolean'].includes(kind))
      return `array of ${kind} is not storable`;
    if (kind === 'number' && v.some((x) => !Number.isFinite(x))) return 'array holds a non-finite number';
    return undefined;
  }
  return `a ${typeof v} is not storable (use scalars or arrays of scalars)`;
}
