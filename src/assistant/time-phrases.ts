/**
 * Time phrases of chat questions ("in the last hour", "since 10:30", "yesterday", "between 10:00 and
 * 11:00", "30m") read into an absolute window. Short durations are read here; everything else goes
 * through chrono-node (a maintained natural-language date parser). Times are UTC unless the phrase says
 * otherwise. Pure: `now` is passed in.
 */
import * as chrono from 'chrono-node';

/** A period a question asks about, in ms since epoch; `phrase` is the text that named it. */
export interface TimeWindow {
  from: number;
  to: number;
  phrase: string;
}

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
const DAY = 86_400_000;
const UNITS = Object.keys(UNIT_MS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const LEAD = String.raw`(?:(?:in|over|during|for|within|from)\s+)?(?:the\s+)?`;
/** "the last 2 hours", "past 30m", "since 2h", "2 days ago", "30m", "last hour". */
const DURATION = new RegExp(
  String.raw`(?:^|\s)(${LEAD}(?:(?:last|past)\s+|since\s+)?(?:(\d+(?:\.\d+)?)\s*|(an?|one)\s+)?(${UNITS})(\s+ago)?)(?=$|[\s?.!,])`,
  'i',
);
// Words before a chrono phrase that belong to it ("since yesterday", "in the last hour").
const PREPOSITION = /(?:\b(?:since|from|between|in|over|during|for|within|at|after)\s+(?:the\s+)?|\bthe\s+)$/i;

/**
 * Finds the time phrase in `text` and returns the window it names and the text without it, so
 * "what changed in payment in the last hour" becomes "what changed in payment" + the last hour.
 */
export function extractTimeWindow(text: string, now: number): { window?: TimeWindow; rest: string } {
  const d = DURATION.exec(text);
  // A bare number+unit needs a duration word or must stand alone, else "top 5 m…" could match.
  if (d && (d[2] !== undefined || d[3] !== undefined || /last|past|since/i.test(d[1]))) {
    const n = d[2] === undefined ? 1 : Number(d[2]);
    const from = now - n * UNIT_MS[d[4].toLowerCase()];
    return { window: { from, to: now, phrase: d[1].trim() }, rest: cut(text, d.index, d[0].length) };
  }
  const results = chrono.parse(text, { instant: new Date(now), timezone: 'UTC' });
  const first = results[0];
  if (!first) return { rest: text };
  const before = text.slice(0, first.index);
  const lead = PREPOSITION.exec(before);
  const start = lead ? first.index - lead[0].length : first.index;
  let end = first.index + first.text.length;
  let to: number | undefined = first.end ? first.end.date().getTime() : undefined;
  // "between 10:00 and 11:00" comes back as two results joined by "and"/"to".
  const second = results[1];
  if (!to && second && /^\s*(and|to|until|-)\s*$/i.test(text.slice(end, second.index))) {
    to = second.start.date().getTime();
    end = second.index + second.text.length;
  }
  let from = first.start.date().getTime();
  const dayOnly = !first.start.isCertain('hour');
  const since = /\b(since|from|after)\s+(the\s+)?$/i.test(before);
  if (dayOnly) {
    // "yesterday" is the whole day; "since yesterday" runs until now.
    from -= from % DAY;
    if (to === undefined) to = since || from + DAY > now ? now : from + DAY;
  }
  // A bare time later than now means that time yesterday ("since 23:00" just after midnight).
  if (from > now && !first.start.isCertain('day')) from -= DAY;
  if (from > now) return { rest: text };
  const window = { from, to: Math.min(to ?? now, now), phrase: text.slice(start, end).trim() };
  // "now", "currently": an empty window names no period; the words are dropped all the same.
  if (window.to - window.from < 60_000) return { rest: cut(text, start, end - start) };
  return { window, rest: cut(text, start, end - start) };
}

function cut(text: string, at: number, length: number): string {
  return `${text.slice(0, at)} ${text.slice(at + length)}`.replace(/\s+/g, ' ').trim();
}

/**
 * The start of the period a phrase names, in ms since epoch ("1h", "the last hour", "yesterday", an ISO
 * time); undefined when the phrase names no time.
 */
export function parseSince(phrase: string, now: number): number | undefined {
  return extractTimeWindow(phrase, now).window?.from;
}

/** A duration for people: "45s", "12 min", "1 h 30 min", "3 d". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 || h >= 6 ? `${Math.round(m / 60)} h` : `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

/** "1 h 5 min ago"-style age for answers; `ms` is a duration. */
export const formatAge = formatDuration;

/** A UTC time for people: "2025-05-06 10:30 UTC". */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A window as words: "the last 1 h" when it ends now, else "2025-05-06 10:00 UTC – 11:00 UTC". */
export function describeWindow(w: Pick<TimeWindow, 'from' | 'to'>, now: number): string {
  if (now - w.to < 60_000) return `the last ${formatDuration(now - w.from)}`;
  const from = formatTime(w.from);
  const to = formatTime(w.to);
  return `${from} – ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
}
