import { RootgraphError } from '../errors.js';

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
