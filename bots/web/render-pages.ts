/** The incident list and the neighbourhood page ("show me" from the chat). Pure: `link` signs paths. */
import type { Incident } from '../../src/incidents/incident.js';
import { renderGraphSvg, type DrawnEdge, type DrawnNode } from './graph-svg.js';
import { esc, page, sig3, utc } from './html.js';
import type { Linker } from './render-incident-page.js';

/** `/incidents`: status, severity, opened, alerts, top suspect, acknowledged by. */
export function renderIncidentList(incidents: Incident[], link: Linker): string {
  const rows = incidents.map((i) => {
    const top = [...i.suspects].sort((a, b) => a.rank - b.rank)[0];
    const topName = top ? top.entity.slice(top.entity.lastIndexOf('/') + 1) : '–';
    return `<tr><td><a href="${esc(link(`/incidents/${i.number}`))}">#${i.number}</a></td><td>${esc(i.title)}</td><td>${esc(i.status)}</td><td${i.severity === 'critical' ? ' class="crit"' : ''}>${esc(i.severity)}</td><td>${esc(utc(i.openedAt))}</td><td>${i.alertFingerprints.length}</td><td>${top ? `<code>${esc(topName)}</code> ${sig3(top.score)}` : '–'}</td><td>${esc(i.lifecycle?.acknowledged?.by ?? '–')}</td></tr>`;
  });
  const table =
    rows.length > 0
      ? `<div class="scroll"><table><thead><tr><th>#</th><th>title</th><th>status</th><th>severity</th><th>opened</th><th>alerts</th><th>top suspect</th><th>acknowledged by</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : '<p class="muted">No incidents.</p>';
  return page({
    title: 'Incidents',
    nav: [{ href: link('/incidents'), label: 'incidents' }],
    body: `<h1>Incidents</h1>${table}`,
  });
}

/** `/graph?around=…`: the neighbourhood of one entity. */
export function renderGraphPage(
  root: DrawnNode,
  hops: number,
  nodes: DrawnNode[],
  edges: DrawnEdge[],
  link: Linker,
): string {
  const linked = nodes.map((n) => ({
    ...n,
    ...(n.uid === root.uid ? { entry: false } : {}),
    href: link(`/graph?around=${encodeURIComponent(n.uid)}&hops=${hops}`),
  }));
  const svg = renderGraphSvg(linked, edges, { title: `neighbourhood of ${root.name}` });
  const more =
    hops < 3
      ? ` · <a href="${esc(link(`/graph?around=${encodeURIComponent(root.uid)}&hops=${hops + 1}`))}">one hop more</a>`
      : '';
  const body = `<h1>Around <code>${esc(root.name)}</code> (${esc(root.kind)})</h1><p class="muted">${nodes.length} entities within ${hops} hops over calls, selects and runs-on${more}</p><div class="panel scroll">${svg}</div>`;
  return page({ title: `Around ${root.name}`, nav: [{ href: link('/incidents'), label: 'incidents' }], body });
}

/** A small error page. */
export function renderProblem(title: string, message: string, link: Linker): string {
  return page({
    title,
    nav: [{ href: link('/incidents'), label: 'incidents' }],
    body: `<h1>${esc(title)}</h1><p>${esc(message)}</p>`,
  });
}
