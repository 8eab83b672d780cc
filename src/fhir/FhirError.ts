import { GraphQLError } from 'graphql';

/** OperationOutcome issue types (http://hl7.org/fhir/R4/valueset-issue-type.html) this server uses. */
export type IssueType = 'invalid' | 'required' | 'value' | 'not-found' | 'not-supported' | 'processing' | 'too-long' | 'exception' | 'structure';

/**
 * An error a FHIR endpoint answers as an `OperationOutcome` with an HTTP status: 400 for a bad
 * parameter, 404 for an unknown code, code system, value set or concept map, 405 for a method an
 * operation does not take, 413/415 for a body the server will not read, 422 for a POST body that
 * is not a `Parameters` resource. Messages name parameters, never echo clinical text.
 *
 * @example throw new FhirError(404, 'not-found', 'Unknown code "X99.9" in the ICD-10 code system', 'code');
 */
export class FhirError extends Error {
  readonly status: number;
  readonly issueType: IssueType;
  /** The parameter at fault (OperationOutcome `issue.expression`). */
  readonly parameter: string | null;
  constructor(status: number, issueType: IssueType, message: string, parameter: string | null = null) {
    super(message);
    this.name = 'FhirError';
    this.status = status;
    this.issueType = issueType;
    this.parameter = parameter;
  }
}

/** A FHIR R4 `OperationOutcome` with one issue. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'fatal' | 'error' | 'warning' | 'information'; code: IssueType; diagnostics: string; expression?: string[] }[];
}

/**
 * The `OperationOutcome` and HTTP status of any error a handler threw: a {@link FhirError} as it
 * says; the services' typed errors (`BAD_USER_INPUT` 400, `NOT_FOUND` 404) mapped; anything else
 * a 500 whose message names only the request id (the error itself is logged by the caller).
 *
 * @example const { status, body } = operationOutcomeOf(new FhirError(400, 'invalid', 'count must be ...', 'count'), 'req-1');
 */
export function operationOutcomeOf(err: unknown, requestId: string): { status: number; body: OperationOutcome; internal: boolean } {
  const issue = (status: number, code: IssueType, diagnostics: string, parameter: string | null) => ({
    status,
    internal: false,
    body: {
      resourceType: 'OperationOutcome' as const,
      issue: [{ severity: 'error' as const, code, diagnostics, ...(parameter ? { expression: [parameter] } : {}) }],
    },
  });
  if (err instanceof FhirError) return issue(err.status, err.issueType, err.message, err.parameter);
  if (err instanceof GraphQLError) {
    const code = err.extensions.code;
    const argumentName = typeof err.extensions.argumentName === 'string' ? err.extensions.argumentName : null;
    if (code === 'BAD_USER_INPUT') return issue(400, 'invalid', err.message, argumentName);
    if (code === 'NOT_FOUND') return issue(404, 'not-found', err.message, argumentName);
    if (code === 'SERVICE_UNAVAILABLE') return issue(503, 'exception', err.message, null);
  }
  return { ...issue(500, 'exception', `Internal error (request id ${requestId})`, null), internal: true };
}
