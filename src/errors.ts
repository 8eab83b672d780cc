import { GraphQLError } from 'graphql';

/**
 * Typed errors (DESIGN §8): each carries `extensions.code`, names the bad value and where it was,
 * and never contains clinical text.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });
    this.name = 'BadUserInputError';
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code: 'NOT_FOUND' } });
    this.name = 'NotFoundError';
  }
}

export class ServiceUnavailableError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code: 'SERVICE_UNAVAILABLE' } });
    this.name = 'ServiceUnavailableError';
  }
}

/** Bad input in a data file: `file:line: what is wrong`. Loaders throw it and load nothing. */
export class IngestError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, what: string) {
    super(`${file}:${line}: ${what}`);
    this.name = 'IngestError';
    this.file = file;
    this.line = line;
  }
}

/** Asserts an internal invariant; a failure is a bug, never user input. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violation: ${message}`);
}
