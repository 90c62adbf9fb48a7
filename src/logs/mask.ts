/**
 * Generic masking of variable tokens before template mining.
 *
 * Drain (He et al., ICWS 2017) preprocesses lines with "domain knowledge" regexes; Drain3 ships
 * masking instructions. Here one hand-written pass over the characters classifies each
 * whitespace token instead, with no regex tuned per dataset:
 * - variables: numbers, hex, IPs with ports, UUIDs, timestamps, URLs, e-mails, paths, and empty
 *   values (`()`, `""`): the field is there, its value is not;
 * - a word mixing a constant part and digits keeps the constant part and masks only the
 *   digit-bearing span (`blk_<*>`, `core.<*>`, `ID=<*>`, `bglio<*>`, `SOCKS<*>`): the skeleton keeps
 *   its length whatever the value, and versioned names stay readable;
 * - a unit right after a variable (`1.2 KB`, `<1 sec`, `30 ms`) joins it, so a multi-token
 *   variable counts as one (the idea of multi-token parameters in Dai et al., "Logram", TSE 2020).
 * Whether a plain word is a variable is not decided here: the miner learns it from the stream.
 * Masked tokens are dropped from the token sequence and remembered as "gaps" between the constant
 * tokens, so a variable that spans zero, one or several tokens yields the same skeleton; each gap
 * keeps the punctuation around it (`(<*>)`, `<*>,`) so the template still reads like the message.
 */

/** The constant skeleton of one message: tokens left after masking, and where variables sat. */
export interface MaskedMessage {
  /** Constant tokens, in order; a partly masked word appears with `<*>` (`blk_<*>`, `ID=<*>`). */
  tokens: string[];
  /** gaps[i] = 1 when at least one variable preceded tokens[i]; gaps[tokens.length] is the tail. */
  gaps: Uint8Array;
}

/**
 * True for a partly masked id whose constant part is a type tag (`blk_<*>`, `rdd_<*>`,
 * `core.<*>`, `user:<*>`): two such tags at one place are two kinds of id, not two events. Not
 * for `key=<*>` (a field).
 */
export function isTaggedId(token: string): boolean {
  const at = token.indexOf(WILDCARD);
  if (at < 2 || at + WILDCARD.length !== token.length) return false;
  const c = token.charCodeAt(at - 1);
  const tag = c === 95 || c === 45 || c === 46 || c === 58 || c === 35 || c === 47;
  return tag && isAlnum(token.charCodeAt(at - 2)) && isAlpha(token.charCodeAt(0));
}

/**
 * True for an identifier-like token: names joined by `.`, `/`, `\\`, `$`, `@`, `,` or `:`
 * (`org.apache.Foo$Bar`, `yarn,curi`, `host.example.com`) or a tagged id. Two of them at one
 * place are two values of one variable far more often than two events.
 */
export function isIdentifier(token: string): boolean {
  if (isTaggedId(token)) return true;
  let a = 0;
  let b = token.length;
  while (a < b && isOpener(token.charCodeAt(a))) a++;
  while (b > a && isCloser(token.charCodeAt(b - 1))) b--;
  for (let i = a + 1; i < b - 1; i++) {
    const c = token.charCodeAt(i);
    if (c === 46 || c === 47 || c === 92 || c === 36 || c === 64 || c === 44 || c === 58) {
      if (isAlnum(token.charCodeAt(i - 1)) && isAlnum(token.charCodeAt(i + 1))) return true;
    }
  }
  return false;
}

/**
 * The value of a token without its key and punctuation (`user=root,` → `root`): what is compared
 * when asking whether a word was seen as a variable's value elsewhere.
 */
export function bareValue(token: string): string {
  const eq = token.indexOf('=');
  let a = eq > 0 && isAlpha(token.charCodeAt(0)) ? eq + 1 : 0;
  let b = token.length;
  while (a < b && isOpener(token.charCodeAt(a))) a++;
  while (b > a && isCloser(token.charCodeAt(b - 1))) b--;
  return token.slice(a, b);
}

/** The wildcard that stands for one variable in a template. */
export const WILDCARD = '<*>';

/**
 * The token that stands for each variable of a message made of variables only (`14 0 4`): such
 * messages keep one token per word, so their word count still tells them apart.
 */
export const VARIABLE_TOKEN = '\u0002';

/** Units that belong to the number before them (sizes and durations). Lower-case. */
const UNITS = new Set('b kb mb gb tb kib mib gib tib ms us µs ns s sec secs min mins h hr hrs'.split(' '));

/** Month and weekday names, which belong to a date when a number stands beside them. */
const DATE_WORDS = new Set('jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun'.split(' '));

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
const isHexLetter = (c: number): boolean => (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** Hex letters in a row (no digit) that make an id: 7 is git's short hash; English words this long are rare. */
const HEX_ID = 7;
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

/** How one whitespace token was classified (small ints: the hot loop allocates nothing). */
const CONSTANT = 0;
const VARIABLE = 1;
const PARTIAL = 2;
/** For PARTIAL: the token with its digit-bearing span replaced by `<*>`. */
let partialText = '';

/** Classifies the word s[start, end). */
function classify(s: string, start: number, end: number): number {
  let a = start;
  let b = end;
  while (a < b && isOpener(s.charCodeAt(a))) a++;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  // Nothing between the brackets: an empty value (`()`, `""`), unless it is punctuation only (`-`, `:`).
  if (a >= b) return isEmptyPair(s, start, end) ? VARIABLE : CONSTANT;
  const first = s.charCodeAt(a);
  // Leading `/`, `~/` or `./`: a path (ids inside it vary too).
  if (first === 47 && b - a > 1) return VARIABLE;
  if ((first === 126 || first === 46) && a + 1 < b && s.charCodeAt(a + 1) === 47) return VARIABLE;
  let digit = -1;
  let at = -1;
  let colon = -1;
  let dots = 0;
  let word = false;
  let hexRun = 0;
  let longHex = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (isHexLetter(c)) {
      if (++hexRun >= HEX_ID) longHex = true;
      continue;
    }
    hexRun = 0;
    if (isDigit(c)) {
      if (digit < 0) digit = i;
    } else if (c === 64 && at < 0) at = i;
    else if (c === 58 && colon < 0) colon = i;
    else if (c === 46) dots++;
    else if (isAlpha(c)) word = true;
  }
  // Fast path: digits first and no letter beyond hex (numbers, IPs, times, hashes).
  if (digit === a && !word && colon < 0 && at < 0) return VARIABLE;
  // scheme://… is a URL; name@host.tld an e-mail; C:\… a Windows path.
  if (colon > a && colon + 1 < b && (s.charCodeAt(colon + 1) === 47 || s.charCodeAt(colon + 1) === 92)) {
    return colon === a + 1 || (colon + 2 < b && s.charCodeAt(colon + 2) === 47) ? VARIABLE : CONSTANT;
  }
  if (at > a && dots > 0 && s.lastIndexOf('.', b) > at) return VARIABLE;
  // No digit: a constant, unless a run of hex letters long enough to be an id (`aeacbad`) is in it.
  if (digit < 0) return longHex ? maskDigits(s, start, end, a, b) : CONSTANT;
  return maskDigits(s, start, end, a, b);
}

/** `()`, `[]`, `{}`, `<>`, `""`, `''`, perhaps followed by closers (`(),`). */
function isEmptyPair(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const o = s.charCodeAt(start);
  const c = s.charCodeAt(start + 1);
  return (
    (o === 40 && c === 41) ||
    (o === 91 && c === 93) ||
    (o === 123 && c === 125) ||
    (o === 60 && c === 62) ||
    (o === 34 && c === 34) ||
    (o === 39 && c === 39)
  );
}

/**
 * A word holding digits: masks from its first digit-bearing segment to its last (segments are
 * runs of letters and digits), keeping the constant prefix and suffix. The whole word is a variable
 * when nothing constant is left; a single segment `letters+digits` keeps its letters (`bglio<*>`).
 */
function maskDigits(s: string, start: number, end: number, a0: number, b: number): number {
  // `r24=0x0f`, `ID=12`: a field's key is never the variable part, digits or not.
  const key = fieldKeyEnd(s, a0, b);
  const a = key > 0 ? key : a0;
  // Find the first and last segments that hold a digit.
  let firstSeg = -1;
  let firstSegEnd = -1;
  let lastSegEnd = -1;
  let segs = 0;
  let hexOnly = true;
  let i = a;
  while (i < b) {
    while (i < b && !isAlnum(s.charCodeAt(i))) i++;
    if (i >= b) break;
    const segStart = i;
    let hasDigit = false;
    let segHex = true;
    while (i < b && isAlnum(s.charCodeAt(i))) {
      const c = s.charCodeAt(i);
      if (isDigit(c)) hasDigit = true;
      else if (!isHexLetter(c)) hexOnly = segHex = false;
      i++;
    }
    segs++;
    // A long run of hex letters alone (`aeacbad`) is an id that happened to draw no digit.
    if (segHex && i - segStart >= HEX_ID) hasDigit = true;
    if (hasDigit) {
      if (firstSeg < 0) {
        firstSeg = segStart;
        firstSegEnd = i;
      }
      lastSegEnd = i;
    }
  }
  // `FF:F2:9F:16`: hex pairs or groups (MAC addresses, hashes, ids) are one value.
  if (segs >= 3 && hexOnly && a === a0) return VARIABLE;
  if (firstSeg < 0) return CONSTANT;
  let from = firstSeg;
  // A sign directly before the number belongs to it (`blk_-123`, `-5`), a hyphen inside a name does not.
  const before = from > a ? s.charCodeAt(from - 1) : 0;
  if ((before === 45 || before === 43) && (from - 1 === a || !isAlnum(s.charCodeAt(from - 2)))) from--;
  // `bglio12`, `SOCKS5`: letters, one run of digits, perhaps letters; the letters stay. Followed by
  // more of a name (`jk2_init()`, `log4j:WARN`) it is a name with a digit in it, kept whole.
  if (firstSegEnd === lastSegEnd) {
    const keep = letterPrefix(s, firstSeg, firstSegEnd);
    if (keep > 0 && firstSeg === a && hasAlpha(s, firstSegEnd, b)) return CONSTANT;
    if (keep > 0) from = firstSeg + keep;
  }
  let to = lastSegEnd;
  if (from <= a0 && to >= b) return VARIABLE;
  // `host.example.com:8080`: a qualified name before a port is a host, a variable like the port.
  if (isHostPort(s, a0, b)) return VARIABLE;
  // A single-letter suffix after the digits is part of the value (`12s`, `0020m` are whole segments).
  if (to < b && isAlnum(s.charCodeAt(to))) to = b;
  const prefixConst = hasAlpha(s, start, from);
  const suffixConst = hasAlpha(s, to, end);
  // Only punctuation around the digits: a variable with decoration, not a constant word.
  if (!prefixConst && !suffixConst && onlyBrackets(s, start, from) && onlyBrackets(s, to, end)) return VARIABLE;
  partialText = `${s.slice(start, from)}${WILDCARD}${s.slice(to, end)}`;
  return PARTIAL;
}

/** After `key=` (a key of letters, digits, `_`, `-`, `.` starting with a letter), or -1. */
function fieldKeyEnd(s: string, a: number, b: number): number {
  if (!isAlpha(s.charCodeAt(a))) return -1;
  for (let i = a + 1; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) return i + 1 < b ? i + 1 : -1;
    if (!isAlnum(c) && c !== 95 && c !== 45 && c !== 46) return -1;
  }
  return -1;
}

/** `name.domain:port`: a dotted name, a colon, digits to the end. */
function isHostPort(s: string, a: number, b: number): boolean {
  const colon = s.lastIndexOf(':', b - 1);
  if (colon <= a || colon === b - 1) return false;
  for (let i = colon + 1; i < b; i++) if (!isDigit(s.charCodeAt(i))) return false;
  let dot = false;
  for (let i = a; i < colon; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dot = true;
    else if (!isAlnum(c) && c !== 45 && c !== 95) return false;
  }
  return dot;
}

/**
 * Length of the letter prefix to keep in a segment `letters digits [letters]`: the letters when
 * there are at least two, the digits form one run and the segment does not look like hex.
 */
function letterPrefix(s: string, segStart: number, segEnd: number): number {
  let i = segStart;
  let hexOnly = true;
  while (i < segEnd && isAlpha(s.charCodeAt(i))) {
    if (!isHexLetter(s.charCodeAt(i))) hexOnly = false;
    i++;
  }
  const letters = i - segStart;
  if (letters < 2) return 0;
  while (i < segEnd && isDigit(s.charCodeAt(i))) i++;
  while (i < segEnd && isAlpha(s.charCodeAt(i))) {
    if (!isHexLetter(s.charCodeAt(i))) hexOnly = false;
    i++;
  }
  if (i < segEnd) return 0; // a second run of digits: an id
  if (hexOnly && segEnd - segStart >= 6) return 0; // `deadbeef12`: hex
  return letters;
}

function hasAlpha(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isAlpha(s.charCodeAt(i))) return true;
  return false;
}

function onlyBrackets(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isOpener(c) && !isCloser(c)) return false;
  }
  return true;
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
 * A variable span reads `<*>` with its first word's openers and its last word's closers; a closing
 * bracket that an opening one inside the span already matched (`(1.84 KB)`) is not the span's.
 */
function decorate(s: string, from: number, to: number): string {
  let a = from;
  while (a < to && isOpener(s.charCodeAt(a))) a++;
  // `/10.0.0.1:80`: a slash before an address reads as part of the template (`/<*>`).
  if (a + 1 < to && s.charCodeAt(a) === 47 && isDigit(s.charCodeAt(a + 1))) a++;
  let b = to;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  let inner = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) inner++;
  }
  let tail = '';
  for (let i = b; i < to; i++) {
    const c = s.charCodeAt(i);
    if (inner > 0 && (c === 41 || c === 93 || c === 125)) inner--;
    else tail += s[i];
  }
  return `${s.slice(from, a)}${WILDCARD}${tail}`;
}

/**
 * Splits a message on whitespace and masks its variable tokens. Pure; O(length of message).
 * @example maskMessage('took 1.2 s on 10.0.0.1:80') → tokens ['took', 'on'], gaps [0,1,1]
 */
let gapBuf = new Uint8Array(256);

export function maskMessage(message: string, spans?: number[]): MaskedMessage {
  const tokens: string[] = [];
  // A scratch buffer, copied out at the end: typed-array growth per message costs more than masking.
  if (gapBuf.length <= message.length) gapBuf = new Uint8Array(2 * message.length + 2);
  const gapList = gapBuf;
  gapList[0] = 0;
  let last = 0;
  const n = message.length;
  let i = 0;
  let prevVariable = false;
  let variables = 0;
  while (i < n) {
    while (i < n && message.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && message.charCodeAt(i) > 32) i++;
    const c = classify(message, start, i);
    const len = i - start;
    const joins =
      c === CONSTANT &&
      len <= 7 &&
      ((prevVariable && isUnit(message, start, i)) || (len >= 3 && isDatePart(message, start, i, prevVariable)));
    if (c === VARIABLE || joins) {
      variables++;
      if (spans) {
        if (!gapList[last]) spans[2 * last] = start;
        spans[2 * last + 1] = i;
      }
      gapList[last] = 1;
      prevVariable = c === VARIABLE || !isUnit(message, start, i);
      continue;
    }
    prevVariable = false;
    const token = c === PARTIAL ? partialText : message.slice(start, i);
    // A list of ids (`blk_<*> blk_<*> …`) reads as one, whatever its length.
    if (c === PARTIAL && gapList[last] === 0 && tokens[tokens.length - 1] === token) continue;
    tokens.push(token);
    last++;
    gapList[last] = 0;
  }
  if (tokens.length === 0 && variables > 0) return allVariables(variables);
  return { tokens, gaps: gapList.slice(0, last + 1) };
}

/** How each gap of a message reads (`<*>`, `(<*>)`, `<*>,`); '' where there is no gap. */
export function gapTexts(message: string): string[] {
  const spans: number[] = [];
  const masked = maskMessage(message, spans);
  const out: string[] = [];
  for (let g = 0; g < masked.gaps.length; g++) {
    out.push(masked.gaps[g] && spans[2 * g] !== undefined ? decorate(message, spans[2 * g], spans[2 * g + 1]) : '');
  }
  return out;
}

function allVariables(count: number): MaskedMessage {
  return {
    tokens: new Array<string>(count).fill(VARIABLE_TOKEN),
    gaps: new Uint8Array(count + 1),
  };
}

/** Renders constant tokens and gaps back to text: `gapText(g)` for gap g (a `<*>` unless told). */
export function renderTemplate(
  tokens: readonly string[],
  gaps: ArrayLike<number>,
  gapText: (gap: number) => string = () => WILDCARD,
): string {
  let out = '';
  const put = (t: string) => {
    out += out ? ` ${t}` : t;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (gaps[i]) put(gapText(i));
    put(tokens[i] === VARIABLE_TOKEN ? WILDCARD : tokens[i]);
  }
  if (gaps[tokens.length]) put(gapText(tokens.length));
  return out;
}

/**
 * A message's template as text, variables masked as `maskMessage` does, each gap keeping the
 * punctuation around it: `GC pause 394ms, heap 95MiB of 128MiB in use` → `GC pause <*>, heap <*> of
 * <*> in use`. For grouping lines without a miner (one message, no stream to learn from). Pure.
 */
export function templateText(message: string): string {
  const spans: number[] = [];
  const text = spacedJson(message);
  const { tokens, gaps } = maskMessage(text, spans);
  return renderTemplate(tokens, gaps, (g) =>
    spans[2 * g] !== undefined ? decorate(text, spans[2 * g], spans[2 * g + 1]) : WILDCARD,
  );
}

/**
 * A compact JSON object line with a space after each field's key and value (`{"a":"x","b":1}` →
 * `{"a": "x", "b": 1}`), so each value is a token of its own: masked alone, never with the fields
 * between two ids. Other lines as they are.
 */
function spacedJson(message: string): string {
  if (!message.startsWith('{"') || !message.endsWith('}')) return message;
  return message.replace(/("\s*:)(?=\S)|(,)(?=")/g, '$1$2 ');
}

/**
 * True when a constant token is a plain word (letters only, perhaps wrapped in brackets or
 * followed by punctuation), as opposed to identifier-like tokens (`yarn,curi`, host names).
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
