import type { Config } from '../config.js';
import { BadUserInputError } from '../errors.js';

/**
 * Checks a `first` argument (or any list size a client asks for) against `limits.maxFirst`, so
 * that no query can ask the store for an unbounded page.
 *
 * @example pageSize(20, config, 'first') === 20; pageSize(10_000, config, 'first') // throws BAD_USER_INPUT
 */
export function pageSize(first: number, config: Config, argumentName = 'first'): number {
  const max = config.limits.maxFirst;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new BadUserInputError(`${argumentName} must be between 0 and ${max}, got ${first}`, { argumentName, max });
  }
  return first;
}
