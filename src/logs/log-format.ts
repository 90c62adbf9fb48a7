/**
 * Header parsing from the common log-format notation used by Loghub's benchmark
 * (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019):
 * `<Date> <Time> <Level> <Component>: <Content>` names the fields, everything else is literal,
 * and runs of spaces match runs of whitespace.
 */
import { InputError } from '../errors.js';

/** A compiled format: the field names in order and a parser for one raw line. */
export interface LogFormat {
  readonly fields: readonly string[];
  /** The line's fields, or undefined when the line does not fit the format. */
  parse(line: string): Record<string, string> | undefined;
}

const FIELD = /<([A-Za-z_][A-Za-z0-9_]*)>/g;
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles a format such as `<Date> <Time> <Level> <Component>: <Content>`. Pure.
 * Throws InputError when the format names no field, repeats one, or lacks `<Content>`.
 */
export function compileLogFormat(format: string): LogFormat {
  const fields: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of format.matchAll(FIELD)) {
    pattern += literal(format.slice(last, m.index));
    const name = m[1];
    if (fields.includes(name)) throw new InputError('--format', `field <${name}> appears twice`);
    fields.push(name);
    // Fields are lazy so literals between them decide; the message (last) takes the rest.
    pattern += `(?<${name}>.*?)`;
    last = (m.index ?? 0) + m[0].length;
  }
  pattern += `${literal(format.slice(last))}$`;
  if (!fields.includes('Content')) {
    throw new InputError('--format', `"${format}" has no <Content> field`, {
      hint: "Name the message part <Content>, e.g. '<Date> <Time> <Level>: <Content>'.",
    });
  }
  const re = new RegExp(pattern);
  return {
    fields,
    parse(line) {
      const m = re.exec(line);
      return m?.groups ? { ...m.groups } : undefined;
    },
  };
}

/** Whitespace in the format matches any run of whitespace in the line. */
function literal(s: string): string {
  // Loghub writes literal brackets as `\[`; the backslash only escapes.
  return s.replace(/\\(.)/g, '$1').split(/\s+/).map(escapeRegex).join('\\s+');
}
