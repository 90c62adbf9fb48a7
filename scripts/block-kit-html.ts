// A small Block Kit → HTML renderer (header, section, fields, context, divider, actions), close enough
// to Slack's look to review a card as a person sees it. Used by render-slack-card.ts only.
type Text = { type: string; text: string };
type Element = {
  type: string;
  text?: Text;
  style?: string;
  placeholder?: Text;
  options?: unknown[];
  alt_text?: string;
} & Partial<Text>;
type Block = { type: string; text?: Text; fields?: Text[]; elements?: Element[]; accessory?: Element };

const EMOJI: Record<string, string> = {
  red_circle: '🔴',
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠️',
  mag: '🔍',
  rotating_light: '🚨',
  large_orange_circle: '🟠',
  arrow_right: '➡️',
  chart_with_upwards_trend: '📈',
  scroll: '📜',
  wrench: '🔧',
  link: '🔗',
  page_facing_up: '📄',
  bulb: '💡',
  eyes: '👀',
  blue_book: '📘',
  bell: '🔔',
  no_bell: '🔕',
  leftwards_arrow_with_hook: '↩️',
};

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function mrkdwn(t: string): string {
  let s = escape(t);
  s = s.replace(/&lt;!date\^\d+\^[^|]*\|((?:(?!&gt;).)*)&gt;/g, '$1');
  s = s.replace(/&lt;@([A-Z0-9]+)(?:\|[^&]*)?&gt;/g, '<span class="mention">@$1</span>');
  s = s.replace(
    /&lt;!subteam\^([A-Z0-9]+)(?:\|([^&]*))?&gt;/g,
    (_m, id: string, name?: string) => `<span class="mention">${name ?? `@${id}`}</span>`,
  );
  s = s.replace(/&lt;((?:(?!&gt;)[^|])+)\|((?:(?!&gt;).)+?)&gt;/g, '<a href="$1">$2</a>');
  s = s.replace(/```([\s\S]*?)```/g, '<pre>$1</pre>');
  s = s.replace(/`([^`]+)`/g, '<code>$1</code>');
  s = s.replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
  s = s.replace(/(^|\s)_([^_\n]+)_/g, '$1<i>$2</i>');
  s = s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
  return s.replace(/\n/g, '<br>');
}

const text = (t?: Text) =>
  t
    ? t.type === 'mrkdwn'
      ? mrkdwn(t.text)
      : escape(t.text).replace(/:([a-z0-9_+-]+):/g, (m, n: string) => EMOJI[n] ?? m)
    : '';

function element(e: Element): string {
  if (e.type === 'button') return `<span class="btn ${e.style ?? ''}">${text(e.text)}</span>`;
  if (e.type.endsWith('_select')) return `<span class="select">${text(e.placeholder) || 'Select'} ▾</span>`;
  if (e.type === 'overflow') return '<span class="overflow">⋯</span>';
  if (e.type === 'mrkdwn' || e.type === 'plain_text') return `<span>${text(e as Text)}</span>`;
  return `<span>${escape(e.alt_text ?? e.type)}</span>`;
}

function block(b: Block): string {
  switch (b.type) {
    case 'header':
      return `<div class="header">${text(b.text)}</div>`;
    case 'divider':
      return '<hr>';
    case 'context':
      return `<div class="context">${(b.elements ?? []).map(element).join(' ')}</div>`;
    case 'actions':
      return `<div class="actions">${(b.elements ?? []).map(element).join('')}</div>`;
    case 'section': {
      const fields = b.fields
        ? `<div class="fields">${b.fields.map((f) => `<div>${text(f)}</div>`).join('')}</div>`
        : '';
      const acc = b.accessory ? `<div class="accessory">${element(b.accessory)}</div>` : '';
      return `<div class="section"><div class="body">${text(b.text)}${fields}</div>${acc}</div>`;
    }
    default:
      return `<div class="context">[${escape(b.type)} block]</div>`;
  }
}

/** The blocks as a Slack-like message in a channel, as a standalone HTML page. */
export function blocksToHtml(blocks: unknown[], opts: { channel: string; app: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{font-family:Lato,"Helvetica Neue",Arial,sans-serif;font-size:15px;color:#1d1c1d;background:#fff;margin:0;padding:16px 20px;width:860px}
.chan{font-weight:900;font-size:18px;border-bottom:1px solid #ddd;padding-bottom:8px;margin-bottom:12px}
.msg{display:flex;gap:10px}.avatar{width:36px;height:36px;border-radius:6px;background:#4a154b;color:#fff;font-weight:900;display:flex;align-items:center;justify-content:center}
.who{font-weight:900}.who small{font-weight:400;color:#616061;margin-left:6px}.app{background:#e8e8e8;font-size:10px;padding:1px 4px;border-radius:3px;margin-left:4px;color:#616061}
.header{font-size:18px;font-weight:900;margin:6px 0}.section{display:flex;justify-content:space-between;margin:6px 0;line-height:1.45}.body{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}.context{color:#616061;font-size:13px;margin:4px 0}
hr{border:0;border-top:1px solid #e2e2e2;margin:10px 0}.actions{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}
.btn,.select{border:1px solid #bbb;border-radius:4px;padding:4px 12px;font-size:14px;font-weight:700;background:#fff}.btn.primary{background:#007a5a;color:#fff;border-color:#007a5a}.btn.danger{color:#e01e5a;border-color:#e01e5a}
.accessory{margin-left:12px}.overflow{border:1px solid #bbb;border-radius:4px;padding:0 9px;font-weight:900;font-size:16px;background:#fff}.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#e01e5a;font-size:13px}pre{background:#f8f8f8;border:1px solid #ddd;padding:8px;font-size:12px}
a{color:#1264a3;text-decoration:none}
</style></head><body><div class="chan"># ${escape(opts.channel.replace(/^#/, ''))}</div><div class="msg"><div class="avatar">rg</div><div><div class="who">${escape(opts.app)}<span class="app">APP</span><small>just now</small></div>
${(blocks as Block[]).map(block).join('\n')}
</div></div></body></html>`;
}
