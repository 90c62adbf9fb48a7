/**
 * Draws a small subgraph (an incident's, or an entity's neighbourhood) as inline SVG, laid out by dagre
 * (@dagrejs/dagre, layered layout: callers left, callees, pods and machines right). Readable without
 * colour: suspects are hexagons labelled "#rank suspect", alerting entities carry a dashed double
 * outline and "⚠ alert", the entry says "entry", the propagation path is a thick arrowed line.
 */
import dagre from '@dagrejs/dagre';
import { esc, sig3 } from './html.js';

/** One entity as the drawing shows it. */
export interface DrawnNode {
  uid: string;
  /** Graph label: Service, Deployment, Pod, Machine, … */
  kind: string;
  name: string;
  suspect?: { rank: number; score: number };
  alerting?: boolean;
  entry?: boolean;
  /** Where the node links to (its neighbourhood page), already signed. */
  href?: string;
}

/** One relationship; `calls` (traffic in the latest window) sets a CALLS edge's width. */
export interface DrawnEdge {
  from: string;
  to: string;
  type: string;
  calls?: number;
  /** Part of the propagation path from the top suspect to the entry. */
  onPath?: boolean;
}

export const DEFAULTS = {
  nodeHeight: 50,
  charWidth: 8,
  minWidth: 96,
  maxLabel: 34,
  rankSep: 70,
  nodeSep: 22,
  /** Graphs up to this many entities get dagre's full crossing minimisation. */
  optimalOrderUpTo: 30,
};

const KIND: Record<string, string> = {
  Service: 'service',
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Pod: 'pod',
  Machine: 'node',
};

/** The fill of a suspect by score in [0, 1]: pale yellow (low) to strong red (high). Pure. */
export function scoreColour(score: number): string {
  const s = Math.max(0, Math.min(1, score));
  return `hsl(${Math.round(50 - 50 * s)}, 90%, ${Math.round(80 - 22 * s)}%)`;
}

interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Lays out and draws the graph; returns an `<svg class="topology">` element. Pure and deterministic. */
export function renderGraphSvg(nodes: DrawnNode[], edges: DrawnEdge[], opts: { title: string }): string {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', ranksep: DEFAULTS.rankSep, nodesep: DEFAULTS.nodeSep, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const label = (n: DrawnNode) =>
    n.name.length > DEFAULTS.maxLabel ? `${n.name.slice(0, DEFAULTS.maxLabel - 1)}…` : n.name;
  for (const n of nodes) {
    // The second line (kind and badges) is set smaller: about 0.8 of a name character each.
    const chars = Math.max(label(n).length, Math.ceil(secondLine(n).length * 0.8), 12);
    g.setNode(n.uid, {
      width: Math.max(DEFAULTS.minWidth, chars * DEFAULTS.charWidth + 28),
      height: DEFAULTS.nodeHeight,
    });
  }
  const known = new Set(nodes.map((n) => n.uid));
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  for (const e of drawn) g.setEdge(e.from, e.to, { weight: e.onPath ? 4 : 1 });
  // Dagre's crossing-minimisation sweeps dominate on larger graphs (~3x at 80 nodes); small ones keep them.
  dagre.layout(g, nodes.length > DEFAULTS.optimalOrderUpTo ? { disableOptimalOrderHeuristic: true } : {});
  const size = g.graph() as { width?: number; height?: number };
  const width = Math.ceil(size.width ?? 200);
  const height = Math.ceil(size.height ?? 100);
  const maxCalls = Math.max(1, ...drawn.map((e) => e.calls ?? 0));
  const edgeSvg = drawn
    .sort((a, b) => Number(a.onPath ?? false) - Number(b.onPath ?? false))
    .map((e) => drawEdge(e, g.node(e.from) as Placed, g.node(e.to) as Placed, maxCalls))
    .join('');
  const nodeSvg = nodes.map((n) => drawNode(n, g.node(n.uid) as Placed, label(n))).join('');
  return `<svg class="topology" role="group" aria-label="${esc(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1d1d1f"/></marker></defs>
<g class="edges">${edgeSvg}</g><g class="nodes">${nodeSvg}</g></svg>`;
}

// Edges run between box borders, as straight lines from centre to centre clipped to the boxes.
function drawEdge(e: DrawnEdge, a: Placed, b: Placed, maxCalls: number): string {
  const [x1, y1] = clip(a, b.x, b.y);
  const [x2, y2] = clip(b, a.x, a.y);
  const traffic = e.calls !== undefined && e.calls > 0 ? 1 + 5 * Math.sqrt(e.calls / maxCalls) : 1.2;
  const width = e.onPath ? Math.max(4, traffic) : traffic;
  const stroke = e.onPath ? '#1d1d1f' : '#9aa0a6';
  const dash = e.type === 'CALLS' || e.onPath ? '' : ' stroke-dasharray="4 3"';
  const what = `${e.type}${e.calls !== undefined ? `, ${sig3(e.calls)} calls` : ''}${e.onPath ? ', propagation path' : ''}`;
  return `<line class="edge${e.onPath ? ' on-path' : ''}" data-type="${e.type}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${stroke}" stroke-width="${r(width)}"${dash}${e.onPath || e.type === 'CALLS' ? ' marker-end="url(#arrow)"' : ''}><title>${esc(what)}</title></line>`;
}

function clip(box: Placed, tx: number, ty: number): [number, number] {
  const dx = tx - box.x;
  const dy = ty - box.y;
  if (dx === 0 && dy === 0) return [box.x, box.y];
  const sx = Math.abs(dx) > 0 ? box.width / 2 / Math.abs(dx) : Infinity;
  const sy = Math.abs(dy) > 0 ? box.height / 2 / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy);
  return [box.x + dx * s, box.y + dy * s];
}

function drawNode(n: DrawnNode, p: Placed, text: string): string {
  const { x, y, width: w, height: h } = p;
  const left = x - w / 2;
  const top = y - h / 2;
  const kind = KIND[n.kind] ?? n.kind.toLowerCase();
  const badges = badgesOf(n);
  const aria = [`${n.name} (${kind})`, ...badges].join(', ');
  const fill = n.suspect ? scoreColour(n.suspect.score) : '#ffffff';
  const shape = n.suspect
    ? `<polygon class="shape" points="${hexagon(left, top, w, h)}" fill="${fill}" stroke="#1d1d1f" stroke-width="${n.suspect.rank === 1 ? 3 : 1.5}"/>`
    : `<rect class="shape" x="${r(left)}" y="${r(top)}" width="${r(w)}" height="${h}" rx="${kind === 'service' ? 10 : 3}" fill="${fill}" stroke="#5f6368" stroke-width="1.2"/>`;
  const alarm = n.alerting
    ? `<rect class="alert-ring" x="${r(left - 5)}" y="${r(top - 5)}" width="${r(w + 10)}" height="${h + 10}" rx="12" fill="none" stroke="#b3261e" stroke-width="2.2" stroke-dasharray="6 3"/>`
    : '';
  const line2 = secondLine(n);
  const classes = ['node', n.suspect ? 'suspect' : '', n.alerting ? 'alerting' : '', n.entry ? 'entry' : '']
    .filter(Boolean)
    .join(' ');
  const body = `${alarm}${shape}<text x="${r(x)}" y="${r(y - 4)}" text-anchor="middle" font-size="14" font-weight="${n.suspect ? 700 : 500}" fill="#1d1d1f">${esc(text)}</text><text x="${r(x)}" y="${r(y + 13)}" text-anchor="middle" font-size="11.5" fill="#3c4043">${esc(line2)}</text>`;
  const attrs = `class="${classes}" data-uid="${esc(n.uid)}" data-name="${esc(n.name)}"${n.suspect ? ` data-rank="${n.suspect.rank}"` : ''} aria-label="${esc(aria)}"`;
  return n.href
    ? `<a ${attrs} href="${esc(n.href)}"><title>${esc(aria)}</title>${body}</a>`
    : `<g ${attrs} tabindex="0"><title>${esc(aria)}</title>${body}</g>`;
}

function badgesOf(n: DrawnNode): string[] {
  return [
    n.suspect ? `#${n.suspect.rank} suspect ${sig3(n.suspect.score)}` : '',
    n.alerting ? '⚠ alert' : '',
    n.entry ? 'entry' : '',
  ].filter(Boolean);
}

function secondLine(n: DrawnNode): string {
  return [KIND[n.kind] ?? n.kind.toLowerCase(), ...badgesOf(n)].join(' · ');
}

function hexagon(left: number, top: number, w: number, h: number): string {
  const c = 12;
  return [
    [left + c, top],
    [left + w - c, top],
    [left + w, top + h / 2],
    [left + w - c, top + h],
    [left + c, top + h],
    [left, top + h / 2],
  ]
    .map(([a, b]) => `${r(a)},${r(b)}`)
    .join(' ');
}

const r = (v: number) => Math.round(v * 10) / 10;
