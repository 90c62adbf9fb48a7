import { vi } from 'vitest';
import { main } from '../../app/cli/main.js';

/** What one in-process `rootgraph …` call printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `rootgraph ...args` through the real entry point (`main`) in this process, capturing stdout,
 * stderr and console output; restores process.exitCode afterwards so runs do not leak into each other.
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) => (chunk: string | Uint8Array) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture(out)),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture(err)),
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${a.join(' ')}\n`)),
  ];
  const before = process.exitCode;
  try {
    const code = await main(['node', 'rootgraph', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.exitCode = before;
    for (const s of spies) s.mockRestore();
  }
}
