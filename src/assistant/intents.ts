import { parseSince } from './time-phrases.js';

/** What a question asks, recognised without a model. */
export type Intent =
  | { kind: 'help' }
  | { kind: 'list-incidents' }
  | { kind: 'show-incident'; number: number }
  | { kind: 'health'; entity: string }
  | { kind: 'changes'; entity: string; since?: number }
  | { kind: 'top-anomalies' }
  | { kind: 'watch-alerts' }
  | { kind: 'dependencies'; entity: string; direction: 'out' | 'in' }
  | { kind: 'cypher'; query: string }
  | { kind: 'feedback'; verdict: 'root-cause' | 'not-root-cause'; entity: string; incident?: number }
  | { kind: 'free'; text: string };

// An entity name as people type it: service, ns/service, or a uid such as Service:default/shop/cart.
const ENTITY = String.raw`[\w.:/%-]+`;
const ent = (s: string) => s.replace(/^[`'"*_]+|[`'"*_?.!,]+$/g, '');

/** A pattern, what it means, and whether it reads the raw text (Cypher keeps its line breaks). */
type Rule = [RegExp, (m: RegExpExecArray, now: number) => Intent, 'raw'?];

const RULES: Rule[] = [
  [/^(help|\?|commands)$/i, () => ({ kind: 'help' })],
  [/^(?:cypher|query)\s+([\s\S]+)$/i, (m) => ({ kind: 'cypher', query: stripFence(m[1]) }), 'raw'],
  [
    /^(```[\s\S]*```|(?:MATCH|OPTIONAL MATCH|CALL|WITH|UNWIND|RETURN|CREATE|MERGE)\b[\s\S]*)$/,
    (m) => ({ kind: 'cypher', query: stripFence(m[1]) }),
    'raw',
  ],
  [
    new RegExp(
      String.raw`^(?:the\s+)?root\s*cause\s+(?:is|was)\s+(${ENTITY})(?:\s+(?:for|in|of)\s+(?:incident\s*)?#?(\d+))?\s*$`,
      'i',
    ),
    (m) => ({
      kind: 'feedback',
      verdict: 'root-cause',
      entity: ent(m[1]),
      ...(m[2] ? { incident: Number(m[2]) } : {}),
    }),
  ],
  [
    new RegExp(
      String.raw`^(?:not|it(?:'s| is) not|isn't|is not)\s+(${ENTITY})(?:\s+(?:for|in|of)\s+(?:incident\s*)?#?(\d+))?\s*$`,
      'i',
    ),
    (m) => ({
      kind: 'feedback',
      verdict: 'not-root-cause',
      entity: ent(m[1]),
      ...(m[2] ? { incident: Number(m[2]) } : {}),
    }),
  ],
  [
    /^(?:list\s+|show\s+)?(?:all\s+)?(?:the\s+)?(?:open\s+)?incidents?\s*(?:open|now)?\??$/i,
    () => ({ kind: 'list-incidents' }),
  ],
  [/^(?:what(?:'s| is| are)?\s+)?(?:the\s+)?open\s+incidents?\??$/i, () => ({ kind: 'list-incidents' })],
  [
    /^(?:show\s+|open\s+)?(?:me\s+)?incident\s*#?(\d+)\??$|^#(\d+)$/i,
    (m) => ({ kind: 'show-incident', number: Number(m[1] ?? m[2]) }),
  ],
  [
    /^(?:show\s+|list\s+)?(?:the\s+)?(?:watch\s*(?:items?|list)|(?:lone|other|loose)\s+alerts|alerts?\s+(?:not\s+in|outside|without)\s+(?:any\s+)?incidents?|(?:what\s+)?(?:other\s+)?alerts\s+are\s+firing)\??$/i,
    () => ({ kind: 'watch-alerts' }),
  ],
  [
    /^(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:top\s+)?anomal(?:y|ies)(?:\s+now)?\??$|^top\s+anomal(?:y|ies).*$/i,
    () => ({ kind: 'top-anomalies' }),
  ],
  [
    new RegExp(String.raw`^what\s+(?:has\s+)?changed\s+(?:in|on|for|to)\s+(${ENTITY})(?:\s+(.+?))?\??$`, 'i'),
    (m, now) => ({ kind: 'changes', entity: ent(m[1]), ...sinceOf(m[2], now) }),
  ],
  [
    new RegExp(String.raw`^(?:recent\s+)?changes\s+(?:in|on|for|to)\s+(${ENTITY})(?:\s+(.+?))?\??$`, 'i'),
    (m, now) => ({ kind: 'changes', entity: ent(m[1]), ...sinceOf(m[2], now) }),
  ],
  [
    new RegExp(
      String.raw`^(?:what(?:'s| is)?\s+)?(?:the\s+)?(?:dependencies|deps|callees)\s+of\s+(${ENTITY})\??$|^what\s+does\s+(${ENTITY})\s+(?:call|depend\s+on)\??$|^(${ENTITY})\s+depends\s+on\??$`,
      'i',
    ),
    (m) => ({ kind: 'dependencies', entity: ent(m[1] ?? m[2] ?? m[3]), direction: 'out' }),
  ],
  [
    new RegExp(
      String.raw`^(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:dependents|callers)\s+of\s+(${ENTITY})\??$|^(?:who|what)\s+(?:calls|depends\s+on|uses)\s+(${ENTITY})\??$`,
      'i',
    ),
    (m) => ({ kind: 'dependencies', entity: ent(m[1] ?? m[2]), direction: 'in' }),
  ],
  [
    new RegExp(
      String.raw`^(?:what(?:'s| is)\s+(?:wrong|up|going\s+on)\s+with|why\s+is|is\s+there\s+(?:a\s+)?(?:problem|issue)\s+with|how\s+is|health\s+of|status\s+of)\s+(?:the\s+)?(${ENTITY})(?:\s+(?:service|so\s+slow|slow|down|failing|erroring|broken|ok|healthy|doing))*\s*\??$`,
      'i',
    ),
    (m) => ({ kind: 'health', entity: ent(m[1]) }),
  ],
];

function sinceOf(phrase: string | undefined, now: number): { since?: number } {
  const since = phrase ? parseSince(phrase, now) : undefined;
  return since === undefined ? {} : { since };
}

function stripFence(q: string): string {
  return q
    .trim()
    .replace(/^```(?:cypher)?\s*/i, '')
    .replace(/\s*```$/, '')
    .trim();
}

/**
 * Recognises a question's intent from its wording. Pure and deterministic; anything not
 * recognised is `free` (answered by the model when one is configured, else by the closest intent).
 * A leading bot mention (`<@U123>`) and surrounding whitespace are ignored.
 */
export function parseIntent(raw: string, now: number): Intent {
  const text = raw
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const original = raw.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '').trim();
  for (const [re, make, raw] of RULES) {
    const m = re.exec(raw ? original : text);
    if (m) return make(m, now);
  }
  return { kind: 'free', text };
}
