import { asRejection, InputError } from '../../errors.js';
import { timeProblem } from '../input-limits.js';
import type { ReceiveOptions } from './parse-otlp-traces.js';
import { anyValueText, fail, isObj, list, nanos, resourceIdentity, type ResourceIdentity } from './otlp-values.js';

/** One log line with where it came from; the body only, never attributes (they may hold secrets). */
export interface LogRecordIn extends ResourceIdentity {
  /** Unix milliseconds (fractional allowed). */
  timeMs: number;
  /** Severity text as sent, or derived from severityNumber; '' when unknown. */
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

function record(raw: unknown, res: ResourceIdentity, where: string, opts: ReceiveOptions): LogRecordIn {
  if (!isObj(raw)) fail(where, 'expected a log record object');
  // timeUnixNano is optional in OTLP (0 = unknown): then the collector's observed time is used.
  const t =
    raw.timeUnixNano !== undefined && raw.timeUnixNano !== '0' && raw.timeUnixNano !== 0
      ? nanos(raw.timeUnixNano, `${where}.timeUnixNano`)
      : nanos(raw.observedTimeUnixNano, `${where}.observedTimeUnixNano`);
  const skew = opts.nowMs === undefined ? undefined : timeProblem(Number(t / 1_000_000n), opts.nowMs);
  if (skew) fail(`${where}.timeUnixNano`, skew);
  if (raw.severityText !== undefined && typeof raw.severityText !== 'string')
    fail(`${where}.severityText`, 'expected a string');
  const sev = raw.severityNumber === undefined ? 0 : Number(raw.severityNumber);
  if (!Number.isInteger(sev) || sev < 0 || sev > 24) fail(`${where}.severityNumber`, 'expected an integer 0-24');
  const message = raw.body === undefined || raw.body === null ? '' : anyValueText(raw.body, `${where}.body`);
  if (message.trim() === '') fail(`${where}.body`, 'empty: nothing to mine');
  return {
    ...res,
    timeMs: Number(t / 1000n) / 1000,
    level: (raw.severityText as string | undefined) || levelOf(sev),
    message,
  };
}

/**
 * Validates an OTLP ExportLogsServiceRequest (JSON, or protobuf decoded by decodeOtlpProtobuf) into
 * log lines; a bad record is rejected with its path (`resourceLogs[0].scopeLogs[0].logRecords[3].body`),
 * the rest kept. Throws InputError only when the envelope is not an export request. Pure.
 */
export function parseOtlpLogs(payload: unknown, opts: ReceiveOptions = {}): ParsedLogs {
  if (!isObj(payload))
    throw new InputError('', 'expected an OTLP ExportLogsServiceRequest (a JSON object with "resourceLogs")');
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
          list(sl.logRecords, `${ws}.logRecords`).forEach((r, k) =>
            guard(() => {
              out.accepted.push(record(r, res, `${ws}.logRecords[${k}]`, opts));
            }),
          );
        }),
      );
    }),
  );
  return out;
}
