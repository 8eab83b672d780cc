import { print } from '@0no-co/graphql.web';
import { initGraphQLTada } from 'gql.tada';
import type { ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
import { useEffect, useState } from 'preact/hooks';
import type { introspection } from './graphql-env.d.ts';

/**
 * `graphql(...)` documents whose result and variable types gql.tada infers from the schema
 * snapshot (`schema/snapshot/schema.graphql`, turned into `graphql-env.d.ts` by
 * `npm run web:types`): a field the schema lacks is a type error, not a runtime surprise.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { IcdCode: string; Date: string };
}>();
export type { ResultOf, VariablesOf };

/** An answer's error as the explorer shows it: words, the typed code and the request id. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

/** The endpoint: the same server that served the page. */
const ENDPOINT = '/graphql';
let sequence = 0;

/**
 * Runs one query or mutation against the server and returns its data; any GraphQL or HTTP error
 * becomes an {@link ApiError} carrying the server's request id (the id the server logs).
 *
 * @example const data = await request(CodeQuery, { code: 'I25.2' });
 */
export async function request<R, V>(doc: TadaDocumentNode<R, V>, variables: V, signal?: AbortSignal): Promise<R> {
  const requestId = `web-${Date.now().toString(36)}-${(sequence++).toString(36)}`;
  let res: Response;
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ query: print(doc), variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('The server could not be reached.', 'NETWORK_ERROR', requestId);
  }
  const id = res.headers.get('x-request-id') ?? requestId;
  let body: { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`The server answered ${res.status} without a JSON body.`, 'BAD_RESPONSE', id);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', id);
  if (!res.ok || body.data == null) throw new ApiError(`The server answered ${res.status}.`, 'BAD_RESPONSE', id);
  return body.data;
}

/** A query's state in a view. */
export type QueryState<R> = { loading: true; data?: undefined; error?: undefined } | { loading: false; data: R; error?: undefined } | { loading: false; data?: undefined; error: ApiError };

/**
 * Runs a query whenever `key` changes (null skips it), cancelling the previous one; the view
 * renders its loading, error and data states from the result.
 *
 * @example const q = useQuery(CodeQuery, { code }, code);
 */
export function useQuery<R, V>(doc: TadaDocumentNode<R, V>, variables: V, key: string | null): QueryState<R> | null {
  const [state, setState] = useState<QueryState<R> | null>(key === null ? null : { loading: true });
  useEffect(() => {
    if (key === null) {
      setState(null);
      return;
    }
    const controller = new AbortController();
    setState({ loading: true });
    request(doc, variables, controller.signal).then(
      (data) => setState({ loading: false, data }),
      (err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setState({ loading: false, error: err instanceof ApiError ? err : new ApiError(String((err as Error).message ?? err), 'CLIENT_ERROR', null) });
      },
    );
    return () => controller.abort();
    // The key stands for the variables: a view builds it from exactly what it passes.
  }, [key]);
  return state;
}
