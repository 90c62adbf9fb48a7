import type { FeedbackInput } from '../incidents/feedback.js';
import { displayName } from './resolve-entity.js';

/** The one line every transport answers a verdict with, whichever sink took it. */
export function acknowledgeFeedback(f: FeedbackInput): string {
  const what = f.verdict === 'root-cause' ? 'is the root cause' : 'is not the root cause';
  return `Recorded: \`${displayName(f.entity)}\` ${what} of incident #${f.incident} (from ${f.by}).`;
}
