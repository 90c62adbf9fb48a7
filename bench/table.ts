import os from 'node:os';
import Table from 'cli-table3';

/** The machine a benchmark ran on, printed above every table so BENCHMARKS.md can cite it. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown cpu';
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `machine: ${cpu}, ${os.cpus().length} cores, ${gib} GiB, node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Prints a titled table of rows; numbers are formatted with thousands separators. */
export function printTable(title: string, head: string[], rows: Array<Array<string | number>>): void {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(formatCell));
  console.log(`\n${title}\n${table.toString()}`);
}

function formatCell(v: string | number): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(3);
}

/** Runs `fn` and returns elapsed wall time in milliseconds. */
export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
