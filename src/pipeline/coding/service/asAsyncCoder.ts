import type { AsyncCoder, Coder, Linker } from '../types.js';

/**
 * Wraps a synchronous coder (the lexical one) as an {@link AsyncCoder}; `link` uses its linker.
 *
 * @example const coder = asAsyncCoder(lexical); await coder.link(['ИБС'], 5)
 */
export function asAsyncCoder(coder: Coder & { linker: Linker }): AsyncCoder {
  return {
    code: (texts, options) => Promise.resolve(coder.code(texts, options)),
    link: (mentions, k) => Promise.resolve(coder.linker.link(mentions, k)),
  };
}
