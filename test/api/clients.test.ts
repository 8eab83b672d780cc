import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { startSampleServer } from './sampleServer.js';
import type { TestServer } from './testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(async () => {
  await server?.close();
});

/** The labels and texts of a sample document's gold `.ann` (T lines), in file order. */
function goldMentions(documentId: string): { label: string; text: string }[] {
  const ann = readFileSync(join(SAMPLE_DATA_DIR, 'ruccod', 'train', `${documentId}.ann`), 'utf8');
  return [...ann.matchAll(/^(T\d+)\t[^\t]*\t(.*)$/gm)].map((m) => ({ label: m[1]!, text: m[2]! }));
}

const MENTIONS = gql`
  query Mentions($documentId: String!, $first: Int!, $after: String) {
    document(corpus: "ruccod", documentId: $documentId) {
      id
      documentId
      mentions(layer: "gold", first: $first, after: $after) {
        edges { cursor node { id label text code } }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
`;

type MentionsData = {
  document: {
    id: string;
    documentId: string;
    mentions: { edges: { cursor: string; node: { id: string; label: string; text: string; code: string | null } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
  };
};

describe('Apollo Client with its default InMemoryCache', () => {
  it('pages the mentions of two documents and shows each document its own mentions', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: server.url }), cache: new InMemoryCache() });
    const seen = new Map<string, { label: string; text: string }[]>();
    // Interleave the two documents' pages, so that a cache keyed by brat label (`T1`) would mix them.
    const cursors = new Map<string, string | null>([['0', null], ['1', null]]);
    const done = new Set<string>();
    while (done.size < 2) {
      for (const documentId of ['0', '1']) {
        if (done.has(documentId)) continue;
        const { data } = await client.query<MentionsData>({ query: MENTIONS, variables: { documentId, first: 2, after: cursors.get(documentId) } });
        const page = data!.document.mentions;
        seen.set(documentId, [...(seen.get(documentId) ?? []), ...page.edges.map((e) => ({ label: e.node.label, text: e.node.text }))]);
        cursors.set(documentId, page.pageInfo.endCursor);
        if (!page.pageInfo.hasNextPage) done.add(documentId);
      }
    }
    for (const documentId of ['0', '1']) {
      expect(seen.get(documentId)).toEqual(goldMentions(documentId));
      // Read back from the cache only: each document's first page is still its own.
      const cached = client.readQuery<MentionsData>({ query: MENTIONS, variables: { documentId, first: 2, after: null } });
      expect(cached!.document.mentions.edges.map((e) => ({ label: e.node.label, text: e.node.text }))).toEqual(goldMentions(documentId).slice(0, 2));
    }
    // The two documents share labels (T1, T2), not ids.
    expect(goldMentions('0')[0]!.label).toBe(goldMentions('1')[0]!.label);
  });
});

const DOCUMENTS = gql`
  query Documents($first: Int, $after: String, $last: Int, $before: String) {
    documents(corpus: "ruccod", first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id documentId } }
      pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
      totalCount
    }
  }
`;
type DocumentsData = {
  documents: {
    edges: { cursor: string; node: { id: string; documentId: string } }[];
    pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
    totalCount: number;
  };
};

describe("Apollo Client's relayStylePagination", () => {
  const paginatedCache = () => new InMemoryCache({ typePolicies: { Query: { fields: { documents: relayStylePagination(['corpus', 'split']) } } } });

  it('collects every page of documents forwards', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: server.url }), cache: paginatedCache() });
    let result = await client.query<DocumentsData>({ query: DOCUMENTS, variables: { first: 2 } });
    const watch = client.watchQuery<DocumentsData>({ query: DOCUMENTS, variables: { first: 2 } });
    let pages = 1;
    while (result.data!.documents.pageInfo.hasNextPage) {
      await watch.fetchMore({ variables: { first: 2, after: result.data!.documents.pageInfo.endCursor } });
      // The cache merged the new page into the one list that the original query reads.
      result = await client.query<DocumentsData>({ query: DOCUMENTS, variables: { first: 2 }, fetchPolicy: 'cache-only' });
      pages++;
      expect(pages).toBeLessThan(10);
    }
    const ids = result.data!.documents.edges.map((e) => e.node.documentId);
    expect(ids).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(result.data!.documents.totalCount).toBe(6);
    expect(pages).toBe(3);
  });

  it('collects every page backwards from the end (last/before)', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: server.url }), cache: paginatedCache() });
    const watch = client.watchQuery<DocumentsData>({ query: DOCUMENTS, variables: { last: 4 } });
    await watch.fetchMore({ variables: { last: 4 } });
    let result = await client.query<DocumentsData>({ query: DOCUMENTS, variables: { last: 4 }, fetchPolicy: 'cache-only' });
    expect(result.data!.documents.edges.map((e) => e.node.documentId)).toEqual(['2', '3', '4', '5']);
    expect(result.data!.documents.pageInfo.hasPreviousPage).toBe(true);
    await watch.fetchMore({ variables: { last: 4, before: result.data!.documents.pageInfo.startCursor } });
    result = await client.query<DocumentsData>({ query: DOCUMENTS, variables: { last: 4 }, fetchPolicy: 'cache-only' });
    expect(result.data!.documents.edges.map((e) => e.node.documentId)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(result.data!.documents.pageInfo.hasPreviousPage).toBe(false);
  });
});
