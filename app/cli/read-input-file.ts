import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../src/errors.js';

/**
 * Reads a text file named on the command line. A missing path, a directory or an unreadable file is
 * an `InputError` naming the path and saying what was expected, instead of a bare ENOENT or EISDIR.
 * @param what what the file should hold, for the message: "a JSONL file of Alertmanager webhook payloads"
 */
export function readInputFile(path: string, what: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new InputError(path, 'no such file', { hint: `expected ${what}` });
  if (st.isDirectory()) throw new InputError(path, 'is a directory', { hint: `expected ${what}` });
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(path, `cannot read: ${(err as Error).message}`, { cause: err, hint: `expected ${what}` });
  }
}
