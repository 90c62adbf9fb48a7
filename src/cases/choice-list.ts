import { InputError } from '../errors.js';

/**
 * Parses a comma list of names from `choices` (`traces,logs`; spaces around names and empty items
 * ignored). Throws InputError naming `option` and listing the choices on an unknown `what`. Pure.
 */
export function parseChoiceList<T extends string>(
  text: string,
  choices: readonly T[],
  option: string,
  what: string,
): Set<T> {
  const out = new Set<T>();
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(choices as readonly string[]).includes(name))
      throw new InputError(option, `unknown ${what} "${name}"; expected a comma list of ${choices.join(', ')}`);
    out.add(name as T);
  }
  return out;
}
