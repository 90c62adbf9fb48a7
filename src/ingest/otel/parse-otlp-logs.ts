import { asRejection, InputError } from '../../errors.js';
import { levelFromMessage } from '../../logs/message-level.js';
import { INPUT_LIMITS, timeProblem, tooManyItems, type ReceiveOptions } from '../input-limits.js';
import {
  anyValueText,
  arrayOr,
  fail,
  isObj,
  list,
  nanos,
  resourceIdentity,
  type ResourceIdentity,
} from './otlp-values.js';

/** One log line with where it came from; the body only, never attributes (they may hold secrets). */
export interface LogRecordIn extends ResourceIdentity {
  /** Unix milliseconds (fractional allowed). */
  timeMs: number;
  /** Severity text as sent, derived from severityNumber, or read from the body (stdout shipped as is); '' when unknown. */
  level: string;
  message: string;
}

export interface ParsedLogs {
  accepted: LogRecordIn[];
  rejected: Array<{ where: string; reason: string }>;
}

/** OTLP SeverityNumber ranges (logs data model): 1-4 TRACE … 21-24 FATAL. */
function levelOf(n: number): string {
  if (!(n > 0)) return '';
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.min(5, Math.floor((n - 1) / 4))];
}

const DIGITS = /^\d{1,20}$/;

/**
 * Unix milliseconds (microsecond precision) of a fixed64 nanosecond time, as
 * `Number(nanos(v) / 1000n) / 1000` gives it, without BigInt arithmetic on the hot path.
 */
function nanosToMs(v: unknown, where: string): number {
  if (typeof v === 'string' && DIGITS.test(v)) return v.length > 3 ? Number(v.slice(0, -3)) / 1000 : 0;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return Math.floor(v / 1000) / 1000;
  return Number(nanos(v, where) / 1000n) / 1000;
}

/** `at` builds the record's path, only when something is wrong with it. */
function record(raw: unknown, res: ResourceIdentity, at: () => string, opts: ReceiveOptions): LogRecordIn {
  if (!isObj(raw)) fail(at(), 'expected a log record object');
  // timeUnixNano is optional in OTLP (0 = unknown): then the collector's observed time is used.
  const timeMs =
    raw.timeUnixNano !== undefined && raw.timeUnixNano !== '0' && raw.timeUnixNano !== 0
      ? nanosToMs(raw.timeUnixNano, `${at()}.timeUnixNano`)
      : nanosToMs(raw.observedTimeUnixNano, `${at()}.observedTimeUnixNano`);
  const skew = timeProblem(Math.floor(timeMs), opts);
  if (skew) fail(`${at()}.timeUnixNano`, skew);
  if (raw.severityText !== undefined && typeof raw.severityText !== 'string')
    fail(`${at()}.severityText`, 'expected a string');
  const sev = raw.severityNumber === undefined ? 0 : Number(raw.severityNumber);
  if (!Number.isInteger(sev) || sev < 0 || sev > 24) fail(`${at()}.severityNumber`, 'expected an integer 0-24');
  const body = raw.body as { stringValue?: unknown } | undefined;
  // The common case (a string body) without building the path string for errors.
  const message =
    isObj(body) && typeof body.stringValue === 'string'
      ? body.stringValue
      : body === undefined || body === null
        ? ''
        : anyValueText(body, `${at()}.body`);
  if (message.trim() === '') fail(`${at()}.body`, 'empty: nothing to mine');
  return {
    service: res.service,
    namespace: res.namespace,
    pod: res.pod,
    machine: res.machine,
    timeMs,
    level: (raw.severityText as string | undefined) || levelOf(sev) || levelFromMessage(message),
    message,
  };
}

/** Log records in an export request, counted without parsing them (malformed levels count as none). */
export function countOtlpLogRecords(payload: Record<string, unknown>): number {
  let n = 0;
  for (const rl of arrayOr(payload.resourceLogs))
    if (isObj(rl)) for (const sl of arrayOr(rl.scopeLogs)) if (isObj(sl)) n += arrayOr(sl.logRecords).length;
  return n;
}

/**
 * Validates an OTLP ExportLogsServiceRequest (JSON, or protobuf decoded by decodeOtlpProtobuf) into
 * log lines; a bad record is rejected with its path (`resourceLogs[0].scopeLogs[0].logRecords[3].body`),
 * the rest kept. Throws InputError only when the envelope is not an export request, or it holds more
 * records than INPUT_LIMITS.maxLogRecordsPerRequest (counted before any is parsed). Pure.
 */
export function parseOtlpLogs(payload: unknown, opts: ReceiveOptions = {}): ParsedLogs {
  if (!isObj(payload))
    throw new InputError('', 'expected an OTLP ExportLogsServiceRequest (a JSON object with "resourceLogs")');
  const count = countOtlpLogRecords(payload);
  if (count > INPUT_LIMITS.maxLogRecordsPerRequest)
    throw tooManyItems('log records', count, 'maxLogRecordsPerRequest', "Lower the exporter's batch size.");
  const out: ParsedLogs = { accepted: [], rejected: [] };
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      out.rejected.push(asRejection(err));
    }
  };
  list(payload.resourceLogs, 'resourceLogs').forEach((rl, i) =>
    guard(() => {
      const w = `resourceLogs[${i}]`;
      if (!isObj(rl)) fail(w, 'expected an object');
      const res = resourceIdentity(rl.resource, `${w}.resource`);
      list(rl.scopeLogs, `${w}.scopeLogs`).forEach((sl, j) =>
        guard(() => {
          const ws = `${w}.scopeLogs[${j}]`;
          if (!isObj(sl)) fail(ws, 'expected an object');
          const records = list(sl.logRecords, `${ws}.logRecords`);
          for (let k = 0; k < records.length; k++) {
            try {
              out.accepted.push(record(records[k], res, () => `${ws}.logRecords[${k}]`, opts));
            } catch (err) {
              out.rejected.push(asRejection(err));
            }
          }
        }),
      );
    }),
  );
  return out;
}
