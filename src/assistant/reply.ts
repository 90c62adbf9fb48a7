import type { CypherResult } from '../graph/graph-store.js';
import type { Incident } from '../incidents/incident.js';
import type { CardContext } from './card-context.js';

/** A question from any transport: Slack, the console, a test. */
export interface Question {
  text: string;
  /** Who asked (Slack user id, OS user name); decides Cypher access and feedback authorship. */
  user: string;
  /** Where it was asked (Slack channel id, `console`); used to guess "this incident". */
  channel: string;
}

/**
 * One graph fact an answer rests on: the node's uid (for tools and models; never shown to people), its
 * label and what it says (shown).
 */
export interface Evidence {
  uid: string;
  label: string;
  summary: string;
}

/** A block of an answer: an optional heading and lines of text (markdown-ish: `code`, *bold*). */
export interface ReplySection {
  heading?: string;
  lines: string[];
}

/** A follow-up the user may want: a label and the exact text to ask. */
export interface ReplyAction {
  label: string;
  command: string;
}

/**
 * The assistant's answer, transport-free: bots render it (Block Kit, plain text).
 * `incident` asks for the incident card; `table` carries Cypher rows; `note` flags caveats
 * (no model configured, data missing) that must be shown.
 */
export interface Reply {
  title: string;
  sections: ReplySection[];
  evidence: Evidence[];
  actions: ReplyAction[];
  note?: string;
  incident?: Incident;
  /** What the graph says around `incident` (alerts, changes, owners, links), for rendering its card. */
  cardContext?: CardContext;
  table?: CypherResult;
  /** What the answer was about, so a follow-up ("why?", "and its pods?") keeps the subject. */
  about?: { incident?: number; entity?: string };
  /** Set when the question could not be answered (refused, not found, failed); for styling only. */
  error?: { code: string; message: string };
}

/** A reply with nothing but a title and lines. */
export function textReply(title: string, lines: string[] = [], extra: Partial<Reply> = {}): Reply {
  return { title, sections: lines.length ? [{ lines }] : [], evidence: [], actions: [], ...extra };
}
