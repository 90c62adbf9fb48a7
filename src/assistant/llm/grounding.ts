/**
 * Keeps a language model to the facts its tools returned: every number, entity name, alert name and
 * incident number a sentence states must appear in the tool results (or the question). Sentences
 * stating anything else are dropped and reported, so a model may rephrase but never invent. Pure.
 */

/** The model's text split into what may be shown and what was dropped, with the invented facts. */
export interface GroundedText {
  kept: string[];
  dropped: string[];
  /** The facts no tool returned, as the model wrote them. */
  invented: string[];
}

// A number standing alone (not inside a name like `v0` or `p99`): 97, 65.8, 3,344, 12:40.
const NUMBER = /(?<![\w.])\d+(?:[.,:]\d+)*(?![\w])/g;
// CamelCase words are alert names (KubePodCrashLooping) and deserve the same check as entity names.
const CAMEL = /\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b/g;

const normNumber = (s: string) => s.replace(/,(?=\d{3}\b)/g, '');

function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(NUMBER)) {
    const n = normNumber(m[0]);
    out.add(n);
    // "65.80" and "65.8" are the same fact.
    if (/^\d+\.\d+$/.test(n)) out.add(String(Number(n)));
  }
  return out;
}

/** Splits text into sentences (keeps list items and lines apart too). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z`*#"'(])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Checks each sentence of `text` against `sources` (tool results and the question). `known` are the
 * graph's entity names: a known name the sources never mention is an invented fact even if spelt right.
 */
export function groundText(text: string, sources: string[], known: Iterable<string>): GroundedText {
  const corpus = sources.join('\n');
  const lower = corpus.toLowerCase();
  const numbers = numbersIn(corpus);
  const names = [...new Set(known)].filter((n) => n.length >= 3).sort((a, b) => b.length - a.length);
  const out: GroundedText = { kept: [], dropped: [], invented: [] };
  for (const s of sentences(text)) {
    const bad: string[] = [];
    for (const m of s.matchAll(NUMBER)) {
      const n = normNumber(m[0]);
      if (!numbers.has(n) && !numbers.has(String(Number(n)))) bad.push(m[0]);
    }
    const sl = s.toLowerCase();
    let rest = sl;
    for (const name of names) {
      const nl = name.toLowerCase();
      if (!rest.includes(nl)) continue;
      if (!lower.includes(nl)) bad.push(name);
      rest = rest.replaceAll(nl, ' ');
    }
    for (const m of s.matchAll(CAMEL)) if (!corpus.includes(m[0])) bad.push(m[0]);
    if (bad.length === 0) out.kept.push(s);
    else {
      out.dropped.push(s);
      out.invented.push(...bad);
    }
  }
  out.invented = [...new Set(out.invented)];
  return out;
}
