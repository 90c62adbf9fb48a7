/**
 * A log line's severity read from its text, for lines that arrive without one: stdout collected as
 * is (an OTel filelog receiver with no parser, `kubectl logs` dumps, case files exported without a
 * level column). Without it every such line counts as normal and an exception storm is invisible to
 * the log checks and the root-cause ranker. Reads, in order: a JSON field (`"level"`, `"severity"`,
 * pino's numbers), a logfmt pair (`level=error`), a klog/glog or .NET prefix (`E1202 10:00:00.1`,
 * `fail: `), a level word in the header (`… INFO dfs.DataNode: …`, `[error]`), and last an exception
 * or stack-frame line. Pure.
 */

/** Level words written unbracketed in upper case in headers (log4j, logback, Python, syslog-ish). */
const HEADER_WORD =
  /(?:^|[\s[(<|:-])(TRACE|DEBUG|FINEST|FINER|FINE|CONFIG|INFO|NOTICE|WARNING|WARN|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|ALERT|EMERGENCY|EMERG|PANIC)(?=$|[\s\]):,>|-])/;
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
const SPELLING: Record<string, string> = { EROR: 'ERROR', DBUG: 'DEBUG', WARNING: 'WARNING', CRIT: 'CRIT' };
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
export function levelFromMessage(message: string): string {
  const head = message.length > HEADER_CHARS ? message.slice(0, HEADER_CHARS) : message;
  if (head.trimStart().startsWith('{')) {
    const m = JSON_FIELD.exec(message);
    if (m) return m[1] !== undefined ? known(m[1]) : numericLevel(Number(m[2]));
  }
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

/** The level as given, or read from the message when none was given. */
export function lineLevel(given: string, message: string): string {
  const level = given.trim();
  return level !== '' ? level : levelFromMessage(message);
}
