/**
 * Grouping accuracy (GA) of a log parser, as defined by Zhu et al., "Tools and Benchmarks for
 * Automated Log Parsing", ICSE-SEIP 2019: a line is correct when the set of lines its parser group
 * holds is exactly the set of lines that share its true event; GA = correct lines / all lines.
 * FGA (Jiang et al., "A Large-Scale Evaluation for Log Parsing Techniques: How Far Are We?",
 * ISSTA 2024) counts groups instead of lines: precision = correct groups / parsed groups, recall =
 * correct groups / true events, FGA = their F1, so rare events weigh as much as frequent ones.
 */
import { InputError } from '../errors.js';

/** GA and the counts behind it. */
export interface GroupingAccuracy {
  accuracy: number;
  correctLines: number;
  totalLines: number;
  /** Groups the parser made, and true events. */
  parsedGroups: number;
  trueGroups: number;
  /** Parsed groups that hold exactly the lines of one true event. */
  correctGroups: number;
  /** Grouping F1 over events (FGA). */
  fga: number;
}

/**
 * Compares a parser's group per line with the true event per line (same order, same length).
 * Pure; O(n). A parsed group is correct when it maps to exactly one true event and holds all of it.
 */
export function groupingAccuracy(truth: readonly string[], parsed: readonly string[]): GroupingAccuracy {
  if (truth.length !== parsed.length) {
    throw new InputError('grouping accuracy', `truth has ${truth.length} lines, parsed has ${parsed.length}`);
  }
  const trueSize = new Map<string, number>();
  for (const t of truth) trueSize.set(t, (trueSize.get(t) ?? 0) + 1);
  // Per parsed group: its size and the single true event it covers (null once it mixes events).
  const groups = new Map<string, { size: number; event: string | null }>();
  for (let i = 0; i < parsed.length; i++) {
    const g = groups.get(parsed[i]);
    if (!g) groups.set(parsed[i], { size: 1, event: truth[i] });
    else {
      g.size++;
      if (g.event !== truth[i]) g.event = null;
    }
  }
  let correct = 0;
  let correctGroups = 0;
  for (const g of groups.values()) {
    if (g.event !== null && trueSize.get(g.event) === g.size) {
      correct += g.size;
      correctGroups++;
    }
  }
  const precision = groups.size === 0 ? 1 : correctGroups / groups.size;
  const recall = trueSize.size === 0 ? 1 : correctGroups / trueSize.size;
  return {
    accuracy: truth.length === 0 ? 1 : correct / truth.length,
    correctLines: correct,
    totalLines: truth.length,
    parsedGroups: groups.size,
    trueGroups: trueSize.size,
    correctGroups,
    fga: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}
