import { InvalidArgumentError } from '@shoal/api';

/** Accepts one of a fixed set of words, naming them all when the text is none of them. */
export function parseChoice<T extends string>(text: string, choices: readonly T[], what: string): T {
  const found = choices.find((c) => c === text);
  if (found === undefined) {
    throw new InvalidArgumentError(`invalid ${what} "${text}": use ${choices.join(', ')}`);
  }
  return found;
}
