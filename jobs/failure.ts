import { isRootgraphError, userMessage } from '../src/errors.js';
import { RetryLaterError } from '../src/errors.js';

/** What a runner does with a processor's error. */
export type Failure =
  | { kind: 'unrecoverable'; reason: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'later'; delayMs: number; reason: string };

/**
 * Both runners' retry decision: RetryLaterError → put back without using an attempt; a RootgraphError
 * that is not retriable (bad input, not found, refused) → fail now; anything else (UNAVAILABLE,
 * connection resets, unknown errors) → retry with backoff.
 */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof RetryLaterError) return { kind: 'later', delayMs: err.delayMs, reason: userMessage(err) };
  if (isRootgraphError(err) && !err.retriable)
    return { kind: 'unrecoverable', reason: `${err.code}: ${userMessage(err)}` };
  return { kind: 'retry', reason: userMessage(err) };
}

/** Backoff before attempt `attempt + 1`: base · 2^(attempt − 1), as BullMQ's exponential backoff. */
export const backoffMs = (base: number, attempt: number): number => base * 2 ** Math.max(0, attempt - 1);
