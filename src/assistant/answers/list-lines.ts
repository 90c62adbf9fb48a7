import { ASSISTANT_DEFAULTS } from '../context.js';

/** The first `max` lines, then "…and N more" so an answer never silently drops items. */
export function capLines(lines: string[], max = ASSISTANT_DEFAULTS.maxLines, more = ''): string[] {
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `…and ${lines.length - max} more${more ? ` (${more})` : ''}`];
}
