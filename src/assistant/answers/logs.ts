import type { NodeRecord, Props } from '../../model/graph.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from '../context.js';
import { count, plural } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { describeWindow, formatAge, type TimeWindow } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/** One log template's lines in a window. */
export interface TemplateCount {
  template: string;
  lines: number;
  errors: number;
  /** Start of the last window with lines (ms), when known. */
  lastSeen?: number;
  /** False when the template keeps no per-window counts and the numbers are all-time totals. */
  windowed: boolean;
}

const nums = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : undefined;

/** Sums a LogTemplate's per-window counts over [from, to]; templates without windows give their totals. */
export function templateCount(p: Props, w: Pick<TimeWindow, 'from' | 'to'>): TemplateCount {
  const template = String(p.template ?? '?');
  const starts = nums(p.windowStarts);
  const counts = nums(p.counts);
  if (starts && counts) {
    const width = typeof p.windowMs === 'number' ? p.windowMs : 60_000;
    const errs = nums(p.errorCounts) ?? [];
    let lines = 0;
    let errors = 0;
    let lastSeen: number | undefined;
    starts.forEach((t, i) => {
      if (t + width <= w.from || t > w.to) return;
      lines += counts[i] ?? 0;
      errors += errs[i] ?? 0;
      if ((counts[i] ?? 0) > 0) lastSeen = Math.max(lastSeen ?? 0, t);
    });
    return { template, lines, errors, ...(lastSeen !== undefined ? { lastSeen } : {}), windowed: true };
  }
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return { template, lines: n(p.count), errors: n(p.errorCount), windowed: false };
}

/** The log templates of an entity: those EMITTED_BY it or by the services that select it, and any named for it. */
async function templatesOf(
  ctx: AssistantContext,
  node: NodeRecord,
): Promise<{ services: string[]; templates: NodeRecord[] }> {
  const around = await ctx.graph.neighbourhood([node.uid], { hops: 1, edges: ['SELECTS', 'MANAGES'], direction: 'in' });
  const services = [node, ...around.nodes.filter((n) => n.label === 'Service')];
  const names = [...new Set(services.map(displayName))];
  const emitted = await ctx.graph.neighbourhood(
    services.map((s) => s.uid),
    { hops: 1, edges: ['EMITTED_BY'], direction: 'in', maxNodes: 20_000 },
  );
  const byUid = new Map(emitted.nodes.filter((n) => n.label === 'LogTemplate').map((n) => [n.uid, n]));
  for (const name of names)
    for (const t of await ctx.graph.findNodes({ label: 'LogTemplate', where: { service: name }, limit: 20_000 }))
      byUid.set(t.uid, t);
  return { services: names, templates: [...byUid.values()] };
}

/**
 * "Show errors in cartservice logs" / "logs of cartservice": the entity's top log templates in the
 * window (the last hour by default) with their line and error counts, most lines first (most errors
 * first when errors were asked for).
 */
export async function answerLogs(
  ctx: AssistantContext,
  node: NodeRecord,
  errorsOnly: boolean,
  asked?: TimeWindow,
): Promise<Reply> {
  const now = ctx.now();
  const w = asked ?? { from: now - ASSISTANT_DEFAULTS.windowMs, to: now, phrase: '' };
  const period = describeWindow(w, now);
  const name = displayName(node);
  const { services, templates } = await templatesOf(ctx, node);
  const counted = templates.map((t) => templateCount(t.props, w)).filter((c) => (errorsOnly ? c.errors : c.lines) > 0);
  counted.sort((a, b) => (errorsOnly ? b.errors - a.errors : 0) || b.lines - a.lines || b.errors - a.errors);
  const totalLines = counted.reduce((s, c) => s + c.lines, 0);
  const totalErrors = counted.reduce((s, c) => s + c.errors, 0);
  const windowed = counted.every((c) => c.windowed);
  const lines = counted.map((c) => {
    const errs = c.errors === c.lines ? 'all errors' : c.errors > 0 ? `${count(c.errors)} errors` : 'no errors';
    return `\`${c.template}\` — ${plural(c.lines, 'line')} (${errs})${c.lastSeen !== undefined ? `, last ${formatAge(now - c.lastSeen)} ago` : ''}`;
  });
  const what = errorsOnly ? 'Error logs' : 'Logs';
  const scope = services.length > 1 ? ` (services ${services.join(', ')})` : '';
  return {
    title: `${what} of ${name} in ${windowed ? period : 'total'}: ${plural(counted.length, 'template')}, ${plural(errorsOnly ? totalErrors : totalLines, errorsOnly ? 'error line' : 'line')}`,
    sections: [
      {
        lines:
          lines.length === 0
            ? [
                templates.length === 0
                  ? `No log lines from ${name}${scope} have been mined into templates; logs arrive through OTLP (POST /v1/logs).`
                  : `No ${errorsOnly ? 'error ' : ''}lines from ${name} in ${period} (${plural(templates.length, 'template')} known from other times).`,
              ]
            : capLines(lines, ASSISTANT_DEFAULTS.maxLines, `${plural(counted.length, 'template')} in all`),
      },
    ],
    // The evidence is the lines shown, so transports list nothing twice.
    evidence: counted.slice(0, 10).map((c, i) => ({
      uid: templates.find((t) => t.props.template === c.template)?.uid ?? `LogTemplate#${i}`,
      label: 'LogTemplate',
      summary: lines[i],
    })),
    actions: [
      errorsOnly
        ? { label: `All logs of ${name}`, command: `logs of ${name}` }
        : { label: `Errors only`, command: `show errors in ${name} logs` },
      { label: `What is wrong with ${name}`, command: `what is wrong with ${name}` },
    ],
    about: { entity: node.uid },
  };
}
