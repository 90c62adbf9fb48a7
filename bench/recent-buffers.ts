// `npm run bench -- recent-buffers [--lines N]`: the recent log-line and span buffers that serve keeps
// for live log checks and RCA, appended to once per ingest request. Batches of 1,000 at capacity
// (every append drops as many as it adds), in time order and with each batch reaching 2 s into
// the past (a request's lines or spans are recent but not sorted).
import { MemoryLogBuffer } from '../src/ingest/logs/memory-log-buffer.js';
import { MemorySpanBuffer } from '../src/ingest/traces/memory-span-buffer.js';
import type { SpanRecord } from '../src/model/span-record.js';
import type { LogLine } from '../src/logs/template-windows.js';
import { printTable, timeMs } from './table.js';

const BATCH = 1_000;

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

// Times 1 ms apart; `jitterMs` > 0 moves each record up to that far back (seeded, deterministic).
function times(n: number, jitterMs: number): number[] {
  let x = 12345;
  return Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1_700_000_000_000 + i - (jitterMs > 0 ? x % jitterMs : 0);
  });
}

const line = (timeMs: number): LogLine => ({ timeMs, service: 'cart', message: 'GET /cart 200' });
const span = (ms: number): SpanRecord => ({
  traceId: 't',
  spanId: String(ms),
  parentSpanId: null,
  operation: 'GET /cart',
  startNs: ms * 1e6,
  durationNs: 1e6,
  error: false,
  service: 'cart',
  namespace: 'shop',
  pod: null,
  machine: null,
});

async function rate<T>(make: () => { append(b: readonly T[]): void }, records: T[], fill: number): Promise<number> {
  const buf = make();
  for (let i = 0; i < fill; i += BATCH) buf.append(records.slice(i, i + BATCH));
  const rest = Array.from({ length: Math.ceil((records.length - fill) / BATCH) }, (_, k) =>
    records.slice(fill + k * BATCH, fill + (k + 1) * BATCH),
  );
  const ms = await timeMs(() => {
    for (const b of rest) buf.append(b);
  });
  return (records.length - fill) / (ms / 1000);
}

export async function run(args: string[]): Promise<void> {
  const extra = arg(args, '--lines', 400_000);
  const rows: Array<Array<string | number>> = [];
  for (const [order, jitter] of [
    ['in time order', 0],
    ['each batch up to 2 s back', 2_000],
  ] as const) {
    const logCap = 200_000,
      spanCap = 300_000;
    const logs = times(logCap + extra, jitter).map(line);
    const spans = times(spanCap + extra, jitter).map(span);
    rows.push(['log lines', logCap, order, extra, await rate(() => new MemoryLogBuffer(logCap), logs, logCap)]);
    rows.push(['spans', spanCap, order, extra, await rate(() => new MemorySpanBuffer(spanCap), spans, spanCap)]);
  }
  printTable(
    `Recent buffers at capacity, appends of ${BATCH.toLocaleString('en-US')}`,
    ['records', 'capacity', 'arrival', 'appended', 'per second'],
    rows,
  );
}
