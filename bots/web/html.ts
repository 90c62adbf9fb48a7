/** HTML helpers of the web page: escaping, number formatting and the page shell (CSS and a few lines of script). */

/** Escapes text for HTML content and attribute values. Pure. */
export function esc(v: unknown): string {
  return String(v)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number with up to 3 significant digits, for labels ("0.36", "31.0", "251k"). Pure. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(x / 1e3).toPrecision(3)}k`;
  return a >= 100 ? x.toFixed(0) : x.toPrecision(3).replace(/\.?0+$/, (m) => (m.startsWith('.') ? '' : m));
}

/** "2026-12-01 10:25:50 UTC" from ms since epoch. Pure. */
export function utc(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const CSS = `
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d0d4da;--bg:#fff;--panel:#f6f7f9;--accent:#0b57d0;--bad:#b3261e}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:.6rem 1rem;border-bottom:1px solid var(--line);display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
header a{color:var(--accent)}h1{font-size:1.25rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1rem 0 .4rem}
main{padding:0 1rem 2rem}.cols{display:flex;flex-wrap:wrap;gap:1rem}.graph{flex:3 1 620px;min-width:0}.evidence{flex:1 1 330px;min-width:0;max-width:100%}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;margin-bottom:.75rem}
svg{max-width:100%;height:auto;display:block}svg.topology{min-width:540px}svg a:focus{outline:none}svg a:focus>.shape,svg a:hover>.shape{stroke:var(--accent);stroke-width:4}
a:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.scroll{overflow-x:auto}.muted{color:var(--muted)}code{font-size:.9em;background:#eef0f3;padding:0 .2em;border-radius:3px;word-break:break-word}
.tag{display:inline-block;border:1px solid currentColor;border-radius:4px;padding:0 .3em;font-size:.8em;margin-right:.3em}
.crit{color:var(--bad)}ul{padding-left:1.2rem;margin:.3rem 0}li{margin:.15rem 0}
form.fb{display:inline}button{font:inherit;padding:.3rem .6rem;margin:.15rem .2rem .15rem 0;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer;min-height:2.2rem}
button.yes{border-color:#137333;color:#137333}button.no{border-color:var(--bad);color:var(--bad)}
.notice{border-left:4px solid #137333;padding:.4rem .6rem;background:#e6f4ea;margin:.5rem 0}
.legend{font-size:.85rem;color:var(--muted)}.spark{margin:.4rem 0}
@media (max-width:600px){body{font-size:14px}main{padding:0 .5rem 1rem}th,td{padding:.3rem}}
`;

// The only script: arrow keys move focus between the graph's nodes (Tab works without it).
const SCRIPT = `document.addEventListener('keydown',e=>{const a=document.activeElement;if(!a||!a.closest||!a.closest('svg.topology'))return;
const k=e.key;if(!['ArrowRight','ArrowLeft','ArrowUp','ArrowDown'].includes(k))return;const n=[...a.closest('svg').querySelectorAll('a.node')];
const i=n.indexOf(a);if(i<0)return;e.preventDefault();n[(i+(k==='ArrowRight'||k==='ArrowDown'?1:n.length-1))%n.length].focus();});`;

/** The page shell: title, navigation and body. `nav` links are already signed when needed. */
export function page(opts: { title: string; nav: Array<{ href: string; label: string }>; body: string }): string {
  const nav = opts.nav.map((n) => `<a href="${esc(n.href)}">${esc(n.label)}</a>`).join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(opts.title)} · rootgraph</title><style>${CSS}</style></head><body>
<header><strong>rootgraph</strong><nav>${nav}</nav></header><main>${opts.body}</main><script>${SCRIPT}</script></body></html>`;
}
