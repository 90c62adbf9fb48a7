/**
 * A log line's severity read from its text, for lines that arrive without one: stdout collected as
 * is (an OTel filelog receiver with no parser, `kubectl logs` dumps, case files exported without a
 * level column). Without it every such line counts as normal and an exception storm is invisible to
 * the log checks and the root-cause ranker. Reads, in order: a JSON field (`"level"`, `"severity"`,
 * pino's numbers), a logfmt pair (`level=error`), a klog/glog or .NET prefix (`E1202 10:00:00.1`,
 * `fail: `), a level word in the header (`… INFO dfs.DataNode: …`, `[error]`), and last an exception
 * or stack-frame line. Pure.
 */

/**
 * Level words written unbracketed in upper case in headers (log4j, logback, Python, syslog-ish); not
 * ALERT, PANIC or CONFIG, which prose uses too ("Sending ALERT email"): those count bracketed or in JSON.
 */
const HEADER_WORD =
  /(?:^|[\s[(<|:-])(TRACE|DEBUG|FINEST|FINER|FINE|INFO|NOTICE|WARNING|WARN|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL)(?=$|[\s\]):,>|-])/;
/** Any case inside brackets: Apache's `[error]`, nginx's `[warn]`. */
const BRACKETED_WORD =
  /\[(trace|debug|info|notice|warning|warn|error|err|severe|critical|crit|fatal|alert|emerg|panic)\]/i;
const JSON_FIELD =
  /"(?:level|severity|severity_?text|levelname|log\.level|loglevel|lvl)"\s*:\s*(?:"([A-Za-z]+)"|(\d{1,2})\b)/i;
const LOGFMT_PAIR = /(?:^|\s)(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?=\s|$)/i;
const KLOG_PREFIX = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}/;
/** .NET's console logger: `fail: Namespace.Class[0]`. */
const DOTNET_PREFIX = /^(trce|dbug|info|warn|fail|crit): /;
const EXCEPTION_LINE =
  /^(?:Traceback \(most recent call last\)|panic: |Exception in thread |\s*Caused by: |\s+at [\w$.<>/]+\([^)]*\)\s*$|[\w$.]*(?:Exception|Error)(?::\s|$))/;

/** How far into a line the header's level may sit (BGL's is past 100 characters). */
const HEADER_CHARS = 200;
/** Longer JSON lines are searched for a level field rather than parsed. */
const MAX_JSON_CHARS = 65_536;
const LEVEL_KEYS = new Set([
  'level',
  'severity',
  'severity_text',
  'severitytext',
  'levelname',
  'log.level',
  'loglevel',
  'lvl',
]);
/** The field in which container runtimes and shippers (Docker, Fluent Bit) wrap the original line. */
const WRAPPED_KEYS = ['log'];
const CRI_PREFIX = /^\S+ (stdout|stderr) [FP] /;

const KLOG: Record<string, string> = { I: 'INFO', W: 'WARN', E: 'ERROR', F: 'FATAL' };
const DOTNET: Record<string, string> = {
  trce: 'TRACE',
  dbug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  fail: 'ERROR',
  crit: 'CRITICAL',
};
/** log15 and zap's four-letter spellings. */
const SPELLING: Record<string, string> = { EROR: 'ERROR', DBUG: 'DEBUG' };
const KNOWN = new Set([
  'TRACE',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARN',
  'WARNING',
  'ERROR',
  'ERR',
  'SEVERE',
  'CRITICAL',
  'CRIT',
  'FATAL',
  'ALERT',
  'EMERG',
  'EMERGENCY',
  'PANIC',
  'DPANIC',
  'FINE',
  'FINER',
  'FINEST',
  'CONFIG',
]);

/** pino/bunyan numeric levels: 10 trace … 60 fatal. */
function numericLevel(n: number): string {
  if (n < 10 || n > 60) return '';
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.floor(n / 10) - 1];
}

function known(word: string): string {
  const w = word.toUpperCase();
  const spelled = SPELLING[w] ?? w;
  return KNOWN.has(spelled) ? spelled : '';
}

/** The severity a line's text states, upper case (`ERROR`, `WARN`, `INFO` …); '' when it states none. */
export function levelFromMessage(message: string, depth = 0): string {
  if (message.trimStart().startsWith('{')) {
    const json = jsonLevel(message, depth);
    if (json !== null) return json;
  }
  // A container runtime's CRI prefix (`<time> stderr F <line>`) is not the line's header.
  const cri = CRI_PREFIX.exec(message);
  if (cri && depth < 2) return levelFromMessage(message.slice(cri[0].length), depth + 1);
  const head = message.length > HEADER_CHARS ? message.slice(0, HEADER_CHARS) : message;
  const pair = LOGFMT_PAIR.exec(head);
  if (pair) {
    const level = known(pair[2]);
    if (level) return level;
  }
  const klog = KLOG_PREFIX.exec(head);
  if (klog) return KLOG[klog[1]];
  const dotnet = DOTNET_PREFIX.exec(head);
  if (dotnet) return DOTNET[dotnet[1]];
  const word = HEADER_WORD.exec(head);
  const bracketed = BRACKETED_WORD.exec(head);
  // The earlier of the two is the header's; a later one is likely the message talking.
  if (word && (!bracketed || word.index <= bracketed.index)) return known(word[1]);
  if (bracketed) return known(bracketed[1]);
  return EXCEPTION_LINE.test(head) ? 'ERROR' : '';
}

/**
 * A JSON line's level: its top-level level field (pino/bunyan numbers under `level`, OTel severity
 * numbers under `severity`…), else the level of the line a runtime wrapped (`{"log": "…"}`); null
 * when the line is not JSON or states neither (the text is then read as a whole).
 */
function jsonLevel(message: string, depth: number): string | null {
  if (message.length > MAX_JSON_CHARS) {
    const m = JSON_FIELD.exec(message);
    return m ? (m[1] !== undefined ? known(m[1]) : numericLevel(Number(m[2]))) : null;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const k = key.toLowerCase();
    if (!LEVEL_KEYS.has(k)) continue;
    const v = o[key];
    if (typeof v === 'string') return known(v);
    if (typeof v === 'number') return k === 'level' ? numericLevel(v) : otelSeverity(v);
  }
  for (const key of WRAPPED_KEYS)
    if (typeof o[key] === 'string' && depth < 2) return levelFromMessage(o[key] as string, depth + 1) || null;
  return null;
}

/** OTel SeverityNumber: 1-4 TRACE … 21-24 FATAL. */
function otelSeverity(n: number): string {
  if (!(n >= 1 && n <= 24)) return '';
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.floor((n - 1) / 4)];
}

/** The level as given (a column's spelling read as a word: `E`, `fail`, OTel's `17`, pino's `50`), or read from the message when none was given. */
export function lineLevel(given: string, message: string): string {
  const level = given.trim();
  return level !== '' ? levelWord(level) : levelFromMessage(message);
}

/**
 * A level column's cell as a level word: klog's letters, .NET's and log15's four-letter spellings, OTel
 * severity numbers (1–24) and pino's (30, 40 …); any other text as given, so a word the ranker does not
 * know stays visible rather than becoming another.
 */
function levelWord(cell: string): string {
  if (/^\d{1,2}$/.test(cell)) {
    const n = Number(cell);
    return (n <= 24 ? otelSeverity(n) : numericLevel(n)) || cell;
  }
  if (cell.length === 1) return KLOG[cell.toUpperCase()] ?? cell;
  // A known word keeps its spelling (`info` stays `info`); only the abbreviations become words.
  if (known(cell) === cell.toUpperCase()) return cell;
  return DOTNET[cell.toLowerCase()] ?? SPELLING[cell.toUpperCase()] ?? cell;
}
