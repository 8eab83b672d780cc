// The browser entry of the self-hosted GraphiQL, bundled by scripts/build-graphiql.mjs into
// dist/graphiql/ (served by src/http at GET /graphql in development). It talks to the page's own URL.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/graphiql.css';

const fetcher = createGraphiQLFetcher({ url: window.location.pathname });
const root = document.getElementById('graphiql');
if (root) createRoot(root).render(createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
