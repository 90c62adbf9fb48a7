/**
 * What a question asks, recognised without a model: a small grammar of the ways on-call engineers
 * ask things ("why?", "what changed in the last hour", "show errors in cartservice logs", "ack",
 * "resolve incident 2: rolled back"). An entity left out ("why?", "and its pods?") is filled from the
 * conversation by the assistant. Pure and deterministic.
 */
import { extractTimeWindow, type TimeWindow } from './time-phrases.js';

/** A lifecycle action on an incident. */
export type LifecycleAction = 'acknowledge' | 'assign' | 'resolve' | 'reopen';

/** What a question asks. `entity` undefined means "the one we were talking about". */
export type Intent =
  | { kind: 'help' }
  | { kind: 'list-incidents' }
  | { kind: 'show-incident'; number?: number }
  | { kind: 'why'; incident?: number }
  | { kind: 'health'; entity?: string }
  | { kind: 'changes'; entity?: string; window?: TimeWindow }
  | { kind: 'top-anomalies'; entity?: string; window?: TimeWindow }
  | { kind: 'firing'; window?: TimeWindow }
  | { kind: 'watch-alerts' }
  | { kind: 'logs'; entity?: string; errorsOnly: boolean; window?: TimeWindow }
  | { kind: 'dependencies'; entity?: string; direction: 'out' | 'in'; window?: TimeWindow }
  | { kind: 'members'; entity?: string }
  | { kind: 'owner'; entity?: string }
  | { kind: 'metric'; metric: string; entity?: string; window?: TimeWindow }
  | { kind: 'lifecycle'; action: LifecycleAction; incident?: number; assignee?: string; note?: string }
  | { kind: 'cypher'; query: string }
  | { kind: 'feedback'; verdict: 'root-cause' | 'not-root-cause'; entity: string; incident?: number }
  | { kind: 'free'; text: string };

// An entity name as people type it: service, ns/service, pod-name, or a uid such as Service:default/shop/cart.
const E = String.raw`([\w.:/%@-]+)`;
// Words around a name that are not part of it: "the checkout flow", "cartservice's pods".
const PRE = String.raw`(?:the\s+|our\s+|my\s+)?`;
const POST = String.raw`(?:'s)?(?:\s+(?:service|svc|flow|app|deployment|workload|pod|microservice))?`;
const NUM = String.raw`(?:\s+(?:incident\s*)?#?(\d+))`;
// A metric as people say it; metricName() maps it to the metric's name.
const METRIC = String.raw`(memory|mem|ram|cpu|(?:p(?:50|90|95|99)\s+)?latency(?:\s+p(?:50|90|95|99))?|p(?:50|90|95|99)|response\s+time|error\s*rate|errors|request\s+rate|traffic|throughput|rps|restarts|network)`;
// Pronouns that mean "what we were talking about".
const PRONOUN = /^(it|its|it's|this|that|there|them|they|this one|that one|same)$/i;

const clean = (s: string) => s.replace(/^[`'"*_<]+|[`'"*_?.!,>]+$/g, '').replace(/'s$/i, '');
/**
 * The entity a name stands for when it is a pronoun ("it", "there"): the conversation's subject.
 * Intents whose entity is left out altogether may mean something wider (bare "what changed" is the cluster).
 */
export const IT = '<it>';

/** The entity a match names: undefined when none was named, IT for a pronoun. */
const ent = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined;
  const c = clean(s.trim());
  return !c || PRONOUN.test(c) ? IT : c;
};
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

type Make = (m: RegExpExecArray, window: TimeWindow | undefined) => Intent;
/** A pattern and what it means; `raw` rules read the text as typed (Cypher keeps its line breaks). */
type Rule = { re: RegExp; make: Make; raw?: boolean; timed?: boolean };

const r = (src: string) => new RegExp(`^(?:${src})$`, 'i');
/** The first capture group that matched: the entity of rules whose alternatives each name it once. */
const pick = (m: RegExpExecArray): string | undefined => m.slice(1).find((g) => g !== undefined);

const COMMANDS: Rule[] = [
  { re: /^(?:help|\?|commands|what can you do\??|how do i use (?:you|this)\??)$/i, make: () => ({ kind: 'help' }) },
  {
    re: /^(?:cypher|query)\s+([\s\S]+)$/i,
    make: (m) => ({ kind: 'cypher', query: stripFence(m[1]) }),
    raw: true,
  },
  {
    re: /^(```[\s\S]*```|(?:MATCH|OPTIONAL MATCH|CALL|WITH|UNWIND|RETURN|CREATE|MERGE)\b[\s\S]*)$/,
    make: (m) => ({ kind: 'cypher', query: stripFence(m[1]) }),
    raw: true,
  },
  {
    re: r(String.raw`(?:the\s+)?root\s*cause\s+(?:is|was|=|:)\s*${E}(?:\s+(?:for|in|of|on)${NUM})?`),
    make: (m) => feedback('root-cause', m[1], m[2]),
  },
  {
    re: r(String.raw`${E}\s+(?:is|was)\s+the\s+root\s*cause(?:\s+(?:for|in|of|on)${NUM})?`),
    make: (m) => feedback('root-cause', m[1], m[2]),
  },
  {
    re: r(
      String.raw`(?:not|it(?:'s| is| was) not|isn't|is not|wasn't|was not)\s+(?:the\s+)?${E}(?:\s+(?:for|in|of|on)${NUM})?`,
    ),
    make: (m) => feedback('not-root-cause', m[1], m[2]),
  },
  {
    re: r(
      String.raw`(?:ack(?:nowledge)?d?|i(?:'m| am) on it|on it|taking (?:it|this))(?:${NUM}|\s+(?:it|this|the incident))?`,
    ),
    make: (m) => ({ kind: 'lifecycle', action: 'acknowledge', incident: num(m[1]) }),
  },
  {
    re: r(String.raw`(?:assign|give|hand)(?:\s+(?:it|this|(?:incident\s*)?#?(\d+)))?\s+(?:to|over to)\s+(.+?)`),
    make: (m) => ({ kind: 'lifecycle', action: 'assign', incident: num(m[1]), assignee: m[2].trim() }),
  },
  {
    re: r(
      String.raw`(?:resolve|close|mark(?:\s+it)?\s+(?:as\s+)?resolved)(?:\s+(?:it|this|(?:incident\s*)?#?(\d+)))?(?:(?:\s*[:—,-]\s*|\s+(?:with(?:\s+(?:the\s+)?note)?|note|because|as)\s*:?\s*|\s+)([\s\S]+))?`,
    ),
    make: (m) => ({
      kind: 'lifecycle',
      action: 'resolve',
      incident: num(m[1]),
      ...(m[2]?.trim() ? { note: m[2].trim() } : {}),
    }),
  },
  {
    re: r(String.raw`re-?open(?:\s+(?:it|this|(?:incident\s*)?#?(\d+)))?`),
    make: (m) => ({ kind: 'lifecycle', action: 'reopen', incident: num(m[1]) }),
  },
  {
    re: r(String.raw`(?:list\s+|show\s+)?(?:all\s+|me\s+)?(?:the\s+)?(?:open\s+)?incidents?\s*(?:open|now|list)?`),
    make: () => ({ kind: 'list-incidents' }),
  },
  {
    re: r(String.raw`(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:current\s+|open\s+)incidents?|any\s+incidents?`),
    make: () => ({ kind: 'list-incidents' }),
  },
  {
    re: r(String.raw`(?:show\s+|open\s+)?(?:me\s+)?(?:the\s+)?incident\s*#?(\d+)|#(\d+)`),
    make: (m) => ({ kind: 'show-incident', number: Number(m[1] ?? m[2]) }),
  },
  {
    re: r(String.raw`(?:show\s+(?:me\s+)?)?(?:this|the|that|current)\s+incident`),
    make: () => ({ kind: 'show-incident' }),
  },
  {
    re: r(
      String.raw`why|why\s+(?:is|was)\s+(?:it|this|that)(?:\s+\w+)?|explain(?:\s+(?:it|this|that))?|what\s+caused\s+(?:it|this|that)|root\s*cause|what(?:'s| is)\s+the\s+(?:root\s*)?cause|(?:why|explain)(?:\s+incident)?\s*#?(\d+)|what\s+caused\s+incident\s*#?(\d+)`,
    ),
    make: (m) => ({ kind: 'why', incident: num(m[1] ?? m[2]) }),
  },
];

const QUESTIONS: Rule[] = [
  {
    re: r(
      String.raw`(?:show\s+|list\s+)?(?:the\s+)?(?:watch\s*(?:items?|list)|(?:lone|other|loose)\s+alerts|alerts?\s+(?:not\s+in|outside|without)\s+(?:any\s+)?incidents?|(?:what\s+)?other\s+alerts\s+are\s+firing)`,
    ),
    make: () => ({ kind: 'watch-alerts' }),
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is| are)?\s+)?(?:(?:is|are)\s+)?(?:currently\s+|still\s+)?(?:firing|alerting|paging)(?:\s+(?:now|right now))?|(?:show\s+|list\s+)?(?:me\s+)?(?:the\s+|all\s+)?(?:firing|active|current|open)\s+alerts(?:\s+now)?|alerts|what\s+alerts\s+(?:are|fired)(?:\s+firing)?|which\s+alerts\s+(?:are\s+)?(?:firing|fired)|what\s+(?:has\s+)?(?:fired|alerted|paged)|(?:any|which|what)\s+alerts(?:\s+(?:fired|firing))?`,
    ),
    make: (_m, w) => ({ kind: 'firing', window: w }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:top\s+|recent\s+|latest\s+)?anomal(?:y|ies)(?:\s+now)?(?:\s+(?:on|in|for|of)\s+${PRE}${E}${POST})?|top\s+\d*\s*anomal(?:y|ies)(?:\s+(?:on|in|for|of)\s+${PRE}${E}${POST})?|any(?:thing)?\s+(?:anomal(?:y|ies|ous))(?:\s+(?:on|in|for|with)\s+${PRE}${E}${POST})?`,
    ),
    make: (m, w) => ({ kind: 'top-anomalies', entity: ent(m[1] ?? m[2] ?? m[3]), window: w }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:and\s+)?(?:what|anything)\s+(?:has\s+|was\s+|got\s+)?(?:changed|deployed|rolled\s+out)(?:\s+(?:in|on|for|to|with)\s+${PRE}${E}${POST}|\s+(there|here))?|(?:and\s+)?(?:any\s+|recent\s+|the\s+|show\s+(?:me\s+)?(?:the\s+)?)?(?:changes|deploys|deployments|rollouts|releases)(?:\s+(?:in|on|for|to|of)\s+${PRE}${E}${POST})?|(?:did|has)\s+(?:anything|anyone|someone)\s+(?:change|deploy)\s*(?:anything)?(?:\s+(?:in|on|to)\s+${PRE}${E}${POST})?`,
    ),
    make: (m, w) => ({ kind: 'changes', entity: ent(pick(m)), window: w }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:show\s+(?:me\s+)?|list\s+|what\s+are\s+)?(?:the\s+)?(?:top\s+)?(errors?|warnings?|exceptions?|error\s+logs?)\s+(?:in|from|of|on|for)\s+${PRE}${E}${POST}(?:'s)?(?:\s+logs?)?|(?:show\s+(?:me\s+)?|list\s+|what\s+(?:are|is)\s+)?(?:the\s+)?(?:top\s+)?(?:logs?|log\s+(?:lines|templates|patterns|messages))(?:\s+(?:of|for|from|in|on)\s+${PRE}${E}${POST})?|${PRE}${E}${POST}\s+(error\s+)?logs?|what\s+(?:does|is)\s+${PRE}${E}${POST}\s+(?:logg?ing|log)`,
    ),
    make: (m, w) => ({
      kind: 'logs',
      entity: ent(m[2] ?? m[3] ?? m[4] ?? m[6]),
      errorsOnly: Boolean(m[1] || m[5]),
      window: w,
    }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:and\s+)?(?:what\s+(?:about\s+)?|show\s+(?:me\s+)?|list\s+)?(?:the\s+)?(?:pods|replicas|instances|containers)(?:\s+(?:of|for|in|behind)\s+${PRE}${E}${POST})?|(?:and\s+)?(?:its|their)\s+(?:pods|replicas|instances)|${PRE}${E}${POST}\s+pods|(?:which|what)\s+pods\s+(?:does\s+)?(?:run\s+)?${PRE}${E}${POST}(?:\s+(?:have|run|use))?|where\s+(?:does|is)\s+${PRE}${E}${POST}\s+run(?:ning)?`,
    ),
    make: (m) => ({ kind: 'members', entity: ent(m[1] ?? m[2] ?? m[3] ?? m[4]) }),
  },
  {
    re: r(
      String.raw`who\s+(?:owns|is\s+responsible\s+for|maintains|runs)\s+${PRE}${E}${POST}|(?:the\s+)?(?:owner|team|owners)\s+(?:of|for)\s+${PRE}${E}${POST}|(?:which|what)\s+team\s+(?:owns|is\s+responsible\s+for)\s+${PRE}${E}${POST}|whose\s+is\s+${PRE}${E}${POST}`,
    ),
    make: (m) => ({ kind: 'owner', entity: ent(m[1] ?? m[2] ?? m[3] ?? m[4]) }),
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is| are| was)\s+|show\s+(?:me\s+)?)?(?:the\s+)?(?:current\s+)?${METRIC}(?:\s+usage)?\s+(?:of|for|on|in)\s+${PRE}${E}${POST}|${PRE}${E}${POST}(?:'s)?\s+${METRIC}(?:\s+usage)?|how\s+much\s+${METRIC}\s+(?:does|is)\s+${PRE}${E}${POST}\s+(?:use|using)`,
    ),
    make: (m, w) => {
      const [metric, entity] = m[1] !== undefined ? [m[1], m[2]] : m[4] !== undefined ? [m[4], m[3]] : [m[5], m[6]];
      return { kind: 'metric', metric: metricName(metric), entity: ent(entity), window: w };
    },
    timed: true,
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:dependencies|deps|callees|downstreams?)\s+of\s+${PRE}${E}${POST}|what\s+does\s+${PRE}${E}${POST}\s+(?:call|depend\s+on|talk\s+to)|${PRE}${E}${POST}\s+depends\s+on|(?:and\s+)?(?:its|their)\s+(?:dependencies|deps)`,
    ),
    make: (m, w) => ({ kind: 'dependencies', entity: ent(m[1] ?? m[2] ?? m[3]), direction: 'out', window: w }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is| are)?\s+)?(?:the\s+)?(?:dependents|callers|upstreams?)\s+of\s+${PRE}${E}${POST}|(?:who|what)\s+(?:calls|depends\s+on|uses|talks\s+to)\s+${PRE}${E}${POST}|(?:and\s+)?(?:its|their)\s+(?:callers|dependents)`,
    ),
    make: (m, w) => ({ kind: 'dependencies', entity: ent(m[1] ?? m[2]), direction: 'in', window: w }),
    timed: true,
  },
  {
    re: r(
      String.raw`(?:what(?:'s| is)\s+(?:wrong|up|going\s+on|happening)\s+(?:with|in|on)|why\s+is|why\s+are|is\s+there\s+(?:a\s+|any\s+)?(?:problem|issue|trouble)s?\s+(?:with|in|on)|any(?:thing)?\s+(?:wrong|problems?|issues?)\s+(?:with|in|on)|how\s+is|how(?:'s| are)|health\s+of|status\s+of|check|is|are)\s+${PRE}${E}${POST}(?:\s+(?:service|so\s+slow|slow|down|up|failing|erroring|broken|ok|okay|fine|healthy|unhealthy|doing|working|alright|all\s+right|degraded))*`,
    ),
    make: (m) => ({ kind: 'health', entity: ent(m[1]) }),
  },
  {
    re: r(
      String.raw`${PRE}${E}${POST}\s+(?:health|status)|(?:and\s+)?(?:what\s+about|how\s+about)\s+${PRE}${E}${POST}`,
    ),
    make: (m) => ({ kind: 'health', entity: ent(m[1] ?? m[2]) }),
  },
];

/** The metric a word names: "memory" → memory_usage, "p90" → latency_p90, "traffic" → request_rate. */
function metricName(word: string): string {
  const w = word.toLowerCase().replace(/\s+/g, ' ');
  const p = /p(50|90|95|99)/.exec(w);
  if (p) return `latency_p${p[1]}`;
  if (/^(memory|mem|ram)/.test(w)) return 'memory_usage';
  if (/^cpu/.test(w)) return 'cpu_usage';
  if (/latency|response time/.test(w)) return 'latency_p99';
  if (/error/.test(w)) return 'error_rate';
  if (/restart/.test(w)) return 'restarts';
  if (/network/.test(w)) return 'network_receive';
  return 'request_rate';
}

function feedback(verdict: 'root-cause' | 'not-root-cause', entity: string, incident?: string): Intent {
  return { kind: 'feedback', verdict, entity: clean(entity), ...(incident ? { incident: Number(incident) } : {}) };
}

function stripFence(q: string): string {
  return q
    .trim()
    .replace(/^```(?:cypher)?\s*/i, '')
    .replace(/\s*```$/, '')
    .trim();
}

// The bot's own mention in front of a question (`<@U123> why?`); mentions later in the text are kept (assignees).
const LEADING_MENTION = /^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+/;

/** The text people typed, without bot mentions, trailing punctuation and doubled spaces. */
function normalise(raw: string): string {
  return raw
    .replace(LEADING_MENTION, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:hey|hi|ok|okay|so|please|pls|@?rootgraph)[,:]?\s+/i, '')
    .replace(/\s+(?:please|pls|thanks|thx)$/i, '')
    .replace(/[?!.\s]+$/, '');
}

/**
 * Recognises a question's intent from its wording. Commands (feedback, lifecycle, incident N, Cypher)
 * are matched on the whole text; questions are matched after the time phrase is taken out ("what
 * changed in payment in the last hour" → changes, payment, the last hour). Anything else is `free`.
 */
export function parseIntent(raw: string, now: number): Intent {
  const original = raw.replace(LEADING_MENTION, '').trim();
  const text = normalise(raw);
  for (const rule of COMMANDS) {
    const m = rule.re.exec(rule.raw ? original : text);
    if (m) return rule.make(m, undefined);
  }
  const { window, rest } = extractTimeWindow(text, now);
  const question = normalise(rest);
  for (const rule of QUESTIONS) {
    const m = rule.re.exec(rule.timed ? question : text) ?? (rule.timed ? null : rule.re.exec(question));
    if (m) return rule.make(m, rule.timed ? window : undefined);
  }
  return { kind: 'free', text };
}
