/**
 * Parsing accuracy (PA) of a log parser: the share of lines whose template is exactly the true
 * template (Dai et al., "Logram", TSE 2020; Khan et al., "Guidelines for Assessing the Accuracy
 * of Log Message Template Identification Techniques", ICSE 2022). Both sides are normalised first,
 * as those guidelines advise, so only what a reader would call a different template counts:
 * whitespace runs become one space, and `<*>` runs joined by whitespace or punctuation only
 * (`<*>:<*>`, `<*> <*>`, `<*>.<*>`) become one `<*>`.
 */
import { InputError } from '../errors.js';

/** PA and the counts behind it. */
export interface ParsingAccuracy {
  accuracy: number;
  correctLines: number;
  totalLines: number;
}

const RUN = /<\*>(?:[^A-Za-z0-9<]*<\*>)+/g;

/** The normal form two templates are compared in. Pure. */
export function normaliseTemplate(template: string): string {
  return template.replace(/\s+/g, ' ').trim().replace(RUN, '<*>');
}

/** Compares the parser's template per line with the true one (same order, same length). Pure; O(n). */
export function parsingAccuracy(truth: readonly string[], parsed: readonly string[]): ParsingAccuracy {
  if (truth.length !== parsed.length) {
    throw new InputError('parsing accuracy', `truth has ${truth.length} lines, parsed has ${parsed.length}`);
  }
  const memo = new Map<string, string>();
  const norm = (t: string) => {
    let n = memo.get(t);
    if (n === undefined) {
      n = normaliseTemplate(t);
      memo.set(t, n);
    }
    return n;
  };
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (norm(truth[i]) === norm(parsed[i])) correct++;
  return { accuracy: truth.length === 0 ? 1 : correct / truth.length, correctLines: correct, totalLines: truth.length };
}
