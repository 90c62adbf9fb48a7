/** Reads "since T" phrases of chat questions into an absolute time. Pure. */

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/**
 * The start of the period a phrase names, in ms since epoch: "1h", "30 minutes", "the last hour",
 * "last 2 days", "yesterday", an ISO date/time; undefined when the phrase names no time.
 */
export function parseSince(phrase: string, now: number): number | undefined {
  const p = phrase
    .trim()
    .toLowerCase()
    .replace(/^(since|in|over|during|for)\s+/, '')
    .replace(/^(the\s+)?(last|past)\s+/, '');
  if (!p) return undefined;
  if (p === 'yesterday') return now - 86_400_000;
  if (p === 'today') return now - (now % 86_400_000);
  const dur = /^(\d+(?:\.\d+)?|an?|one)?\s*([a-z]+)\s*(ago)?$/.exec(p);
  if (dur && UNIT_MS[dur[2]] !== undefined) {
    const n = dur[1] === undefined || dur[1] === 'a' || dur[1] === 'an' || dur[1] === 'one' ? 1 : Number(dur[1]);
    return now - n * UNIT_MS[dur[2]];
  }
  // Only date-looking text goes to Date.parse, which accepts surprising strings otherwise.
  if (/^\d{4}-\d{2}-\d{2}/.test(p)) {
    const t = Date.parse(phrase.trim().replace(/^(since|in)\s+/i, ''));
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** "1 h 5 min ago"-style age for answers; `ms` is a duration. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}
