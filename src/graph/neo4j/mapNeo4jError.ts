import { GraphQLError } from 'graphql';
import { BadUserInputError, ServiceUnavailableError } from '../../errors.js';

/** Raised by the executor's own deadline when the driver has not answered in time. */
export class Neo4jDeadlineError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`Neo4j did not answer within ${timeoutMs} ms`);
    this.name = 'Neo4jDeadlineError';
    this.timeoutMs = timeoutMs;
  }
}

/** Driver, socket and pool messages that mean "the database cannot be reached right now". */
const UNREACHABLE_MESSAGE =
  /acquisition timed out|failed to establish connection|connection lost|connection was closed|could not perform discovery|no routing servers|pool is closed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|socket hang up/i;

function codeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Maps anything the driver (or a socket under it) throws to the project's typed errors. This is the
 * one place where driver errors are interpreted. The messages are fixed sentences: a driver message
 * can carry host names, ports and (for constraint violations) property values, so none is copied.
 * The driver's code travels in `extensions.neo4jCode` for operators.
 *
 * @example
 * mapNeo4jError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:7687'), { code: 'ServiceUnavailable' }))
 * // ServiceUnavailableError('The Neo4j database cannot be reached ...', { reason: 'UNREACHABLE', ... })
 */
export function mapNeo4jError(err: unknown): Error {
  // Our own typed errors (thrown by the work inside a transaction) pass through unchanged.
  if (err instanceof GraphQLError) return err;
  if (err instanceof Neo4jDeadlineError) {
    return new ServiceUnavailableError(`The Neo4j database did not answer within ${err.timeoutMs} ms; try again later.`, {
      reason: 'TIMEOUT',
      store: 'neo4j',
    });
  }
  const code = codeOf(err);
  const extensions = { store: 'neo4j', neo4jCode: code || undefined };
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /^E[A-Z]+$/.test(code) || UNREACHABLE_MESSAGE.test(messageOf(err))) {
    return new ServiceUnavailableError('The Neo4j database cannot be reached; check that it runs and that NEO4J_URI points at it, then try again.', {
      ...extensions,
      reason: 'UNREACHABLE',
    });
  }
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new ServiceUnavailableError('Neo4j refused the connection: check NEO4J_USERNAME and NEO4J_PASSWORD.', {
      ...extensions,
      reason: 'AUTHENTICATION',
    });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new ServiceUnavailableError('The Neo4j database named by NEO4J_DATABASE does not exist.', {
      ...extensions,
      reason: 'DATABASE_NOT_FOUND',
    });
  }
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') || code === 'Neo.TransientError.Transaction.LockClientStopped') {
    return new ServiceUnavailableError('A Neo4j transaction ran past its timeout (NEO4J_TRANSACTION_TIMEOUT_MS).', {
      ...extensions,
      reason: 'TIMEOUT',
    });
  }
  if (code === 'Neo.ClientError.Procedure.ProcedureCallFailed' && /fulltext|index/i.test(messageOf(err))) {
    return new ServiceUnavailableError('The Neo4j schema is missing (no full-text name index): run `icdkg seed` first.', {
      ...extensions,
      reason: 'SCHEMA_MISSING',
    });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new BadUserInputError('The write conflicts with a uniqueness constraint of the graph (a duplicate key).', extensions);
  }
  if (code.startsWith('Neo.TransientError.') || code.startsWith('Neo.DatabaseError.')) {
    return new ServiceUnavailableError('The Neo4j database failed to run the query; try again later.', { ...extensions, reason: 'DATABASE_ERROR' });
  }
  // Anything else is a bug in a statement or in the adapter: keep the code, never the text.
  const bug = new Error(`Neo4j query failed${code ? ` (${code})` : ''}`);
  bug.name = 'Neo4jQueryError';
  return bug;
}
