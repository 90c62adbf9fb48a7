/**
 * Generic masking of variable tokens before template mining.
 *
 * Drain (He et al., ICWS 2017) preprocesses lines with "domain knowledge" regexes; Drain3 ships
 * masking instructions. Here one hand-written pass over the characters classifies each
 * whitespace token instead, with no regex tuned per dataset:
 * - variables: tokens holding a digit (numbers, hex, IPs with ports, UUIDs, `blk_…`, sizes,
 *   durations, versions), URLs, e-mails, paths, `host:port`;
 * - a unit right after a variable (`1.2 KB`, `<1 sec`, `30 ms`) joins it, so a multi-token
 *   variable counts as one (the idea of multi-token parameters in Dai et al., "Logram", TSE 2020);
 * - `key=value` keeps the key and masks the value (structured-logging pairs).
 * Masked tokens are dropped from the token sequence and remembered as "gaps" between the constant
 * tokens, so a variable that spans zero, one or several tokens yields the same skeleton.
 */

/** The constant skeleton of one message: tokens left after masking, and where variables sat. */
export interface MaskedMessage {
  /** Constant tokens, in order (a `key=value` token appears as `key=<*>`). */
  tokens: string[];
  /** gaps[i] = 1 when at least one variable preceded tokens[i]; gaps[tokens.length] is the tail. */
  gaps: Uint8Array;
}

/** The wildcard that stands for one variable in a template. */
export const WILDCARD = '<*>';

/** Units that belong to the number before them (sizes and durations). Lower-case. */
const UNITS = new Set([
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'kib',
  'mib',
  'gib',
  'tib',
  'ms',
  'us',
  'µs',
  'ns',
  's',
  'sec',
  'secs',
  'min',
  'mins',
  'h',
  'hr',
  'hrs',
]);

/** Month and weekday names, which belong to a date when a number stands beside them. */
const DATE_WORDS = new Set([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Brackets and quotes that may wrap a value: `(1.2`, `[req-…]`, `"GET`. */
const isOpener = (c: number): boolean => c === 40 || c === 91 || c === 123 || c === 60 || c === 34 || c === 39;
/** Punctuation that may trail a value: `5070,`, `KB)`, `done.` */
const isCloser = (c: number): boolean =>
  c === 41 ||
  c === 93 ||
  c === 125 ||
  c === 62 ||
  c === 34 ||
  c === 39 ||
  c === 44 ||
  c === 59 ||
  c === 58 ||
  c === 46 ||
  c === 33 ||
  c === 63;

/** Kind of one whitespace token: constant, variable, or `key=value` (index of `=` returned). */
const CONSTANT = -1;
const VARIABLE = -2;

/** Classifies token s[start, end): CONSTANT, VARIABLE, or the index of `=` in a key=value pair. */
function classify(s: string, start: number, end: number): number {
  let a = start;
  let b = end;
  while (a < b && isOpener(s.charCodeAt(a))) a++;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  if (a >= b) return CONSTANT;
  const first = s.charCodeAt(a);
  // Leading `/`, `~/` or `./`: a path (ids inside it vary too).
  if (first === 47 && b - a > 1) return VARIABLE;
  if ((first === 126 || first === 46) && a + 1 < b && s.charCodeAt(a + 1) === 47) return VARIABLE;
  let eq = -1;
  let at = -1;
  let colon = -1;
  let dots = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      // A digit inside a key=value's value is still a key=value; the key keeps its meaning.
      return eq > a ? eq : VARIABLE;
    }
    if (c === 61 && eq < 0) eq = i;
    else if (c === 64 && at < 0) at = i;
    else if (c === 58 && colon < 0) colon = i;
    else if (c === 46) dots++;
  }
  if (eq > a && isAlpha(first)) return eq;
  // scheme://… is a URL; name@host.tld an e-mail.
  if (colon > a && colon + 2 < b && s.charCodeAt(colon + 1) === 47 && s.charCodeAt(colon + 2) === 47) return VARIABLE;
  if (at > a && dots > 0 && s.lastIndexOf('.', b) > at) return VARIABLE;
  return CONSTANT;
}

function isUnit(s: string, start: number, end: number): boolean {
  let b = end;
  while (b > start && isCloser(s.charCodeAt(b - 1))) b--;
  return b - start <= 5 && UNITS.has(s.slice(start, b).toLowerCase());
}

/** `Dec` in `Sun Dec 04 …`: a month or weekday name next to a number (or another such name). */
function isDatePart(s: string, start: number, end: number, prevVariable: boolean): boolean {
  let a = start;
  let b = end;
  while (a < b && isOpener(s.charCodeAt(a))) a++;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  if (b - a !== 3 || !DATE_WORDS.has(s.slice(a, b).toLowerCase())) return false;
  if (prevVariable) return true;
  let i = end;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  while (i < s.length && isOpener(s.charCodeAt(i))) i++;
  if (i < s.length && isDigit(s.charCodeAt(i))) return true;
  // A weekday before a month name ("Sun Dec 04"): look one name further.
  const j = s.indexOf(' ', i);
  return j > i && isDatePart(s, i, j, false);
}

/**
 * Splits a message on whitespace and masks its variable tokens. Pure; O(length of message).
 * @example maskMessage('took 1.2 s on 10.0.0.1:80') → tokens ['took', 'on'], gaps [0,1,1]
 */
export function maskMessage(message: string): MaskedMessage {
  const tokens: string[] = [];
  const gapList: number[] = [0];
  const n = message.length;
  let i = 0;
  let prevVariable = false;
  while (i < n) {
    while (i < n && message.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && message.charCodeAt(i) > 32) i++;
    const kind = classify(message, start, i);
    const joins =
      kind === CONSTANT && ((prevVariable && isUnit(message, start, i)) || isDatePart(message, start, i, prevVariable));
    if (kind === VARIABLE || joins) {
      gapList[gapList.length - 1] = 1;
      prevVariable = kind === VARIABLE || !isUnit(message, start, i);
      continue;
    }
    prevVariable = false;
    if (kind === CONSTANT) tokens.push(message.slice(start, i));
    else {
      let k = start;
      while (isOpener(message.charCodeAt(k))) k++;
      tokens.push(`${message.slice(k, kind)}=${WILDCARD}`);
    }
    gapList.push(0);
  }
  return { tokens, gaps: Uint8Array.from(gapList) };
}

/** Renders constant tokens and gaps back to text, a `<*>` for each gap. */
export function renderTemplate(tokens: readonly string[], gaps: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    if (gaps[i]) out += out ? ` ${WILDCARD}` : WILDCARD;
    out += out ? ` ${tokens[i]}` : tokens[i];
  }
  if (gaps[tokens.length]) out += out ? ` ${WILDCARD}` : WILDCARD;
  return out;
}

/**
 * True when a constant token is a plain word (letters only, perhaps wrapped in brackets or
 * followed by punctuation). Two different plain words at one position usually name different
 * events ("VM Paused" / "VM Started"), while identifier-like tokens (`yarn,curi`, host names)
 * are the variables that masking missed.
 */
export function isPlainWord(token: string): boolean {
  let a = 0;
  let b = token.length;
  while (a < b && isOpener(token.charCodeAt(a))) a++;
  while (b > a && isCloser(token.charCodeAt(b - 1))) b--;
  if (a >= b) return false;
  for (let i = a; i < b; i++) if (!isAlpha(token.charCodeAt(i))) return false;
  return true;
}
