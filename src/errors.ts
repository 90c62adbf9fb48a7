/**
 * rootgraph's one error type. `code` decides handling (retry or not, HTTP status); `message` is for
 * humans and says what and where; `hint` says what to do about it.
 */
export type ErrorCode =
  | 'INPUT_INVALID'
  | 'CONFIG_INVALID'
  | 'NEEDS_NEO4J'
  | 'CYPHER_WRITE_REFUSED'
  | 'CYPHER_INVALID'
  | 'CYPHER_TIMEOUT'
  | 'NOT_FOUND'
  | 'NOT_ALLOWED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** Codes whose failure may pass if the same work is tried again later. */
const RETRIABLE: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE']);

export class RootgraphError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RootgraphError';
    this.code = code;
    this.hint = opts.hint;
  }

  /** True when retrying the same work later may succeed (transport down, database restarting). */
  get retriable(): boolean {
    return RETRIABLE.has(this.code);
  }
}

/** Bad input: `where` is a path into the payload (`deploy.yaml › document 3 › spec.replicas`). */
export class InputError extends RootgraphError {
  readonly where: string;
  /** What is wrong, without the path. */
  readonly what: string;

  constructor(where: string, what: string, opts: { hint?: string; cause?: unknown } = {}) {
    super('INPUT_INVALID', where ? `${where}: ${what}` : what, opts);
    this.name = 'InputError';
    this.where = where;
    this.what = what;
  }
}

/**
 * One rejected item of a batch, from the InputError its validation threw (partial failure as data);
 * any other error is rethrown, since it is not about the input.
 */
export function asRejection(err: unknown): { where: string; reason: string } {
  if (!(err instanceof InputError)) throw err;
  return { where: err.where, reason: err.what };
}

/** Narrows `err` to a RootgraphError, optionally of one code. */
export function isRootgraphError(err: unknown, code?: ErrorCode): err is RootgraphError {
  return err instanceof RootgraphError && (code === undefined || err.code === code);
}

/** One line for a person: the message, then the hint if there is one. */
export function userMessage(err: unknown): string {
  if (err instanceof RootgraphError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Thrown by a job that cannot proceed yet but is not failing (a rate limit): runners put the job back
 * for `delayMs` without counting an attempt.
 */
export class RetryLaterError extends RootgraphError {
  readonly delayMs: number;

  constructor(delayMs: number, why: string) {
    super('UNAVAILABLE', why, { hint: `retried in ${Math.ceil(delayMs)} ms` });
    this.name = 'RetryLaterError';
    this.delayMs = Math.max(1, Math.ceil(delayMs));
  }
}
