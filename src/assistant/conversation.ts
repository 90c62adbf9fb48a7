/**
 * What a conversation is about, so follow-ups work: "why?" after "incident 1", "and its pods?" after
 * "what is wrong with cartservice". Kept per person and place (Slack channel or thread, the console),
 * in memory, for `ttlMs`; a bounded map, oldest conversations dropped first.
 */

/** Knobs of the memory. */
export const DEFAULTS = {
  /** A conversation idle this long is forgotten (ms). */
  ttlMs: 30 * 60_000,
  /** Conversations kept at most. */
  maxConversations: 5_000,
};

/** The subject of a conversation so far. */
export interface ConversationState {
  /** The incident last shown or acted on. */
  incident?: number;
  /** The entity (uid) last asked about. */
  entity?: string;
  /** The last intent answered, for "and …" follow-ups. */
  intent?: string;
  /** The last time window asked for (ms since epoch). */
  window?: { from: number; to: number };
  at: number;
}

/** Per-conversation memory of the subject; `key` is who and where (user + channel). */
export class ConversationMemory {
  private readonly states = new Map<string, ConversationState>();

  constructor(
    private readonly now: () => number,
    private readonly opts: typeof DEFAULTS = DEFAULTS,
  ) {}

  /** The state of a conversation, or an empty one when it is new or expired. */
  get(key: string): ConversationState {
    const s = this.states.get(key);
    if (!s || this.now() - s.at > this.opts.ttlMs) return { at: this.now() };
    return s;
  }

  /** Merges what an answer was about into the conversation. */
  remember(key: string, update: Omit<ConversationState, 'at'>): void {
    const next = { ...this.get(key), ...stripUndefined(update), at: this.now() };
    // Re-insert so the Map's order is least recently used first.
    this.states.delete(key);
    this.states.set(key, next);
    while (this.states.size > this.opts.maxConversations) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
