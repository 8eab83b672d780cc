import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';


// The dependency direction of DESIGN §1, one zone per folder README ("may import"): `target`
// files must not import `from` files (`except` carves out what a folder may reach). Enforced
// here, and test/lint/zones.test.ts checks that a breach is reported, so a zone that stops
// matching is caught.
const ROOTS = ['./src/server.ts', './src/services.ts', './src/createStore.ts'];
const APP = ['./src/cli', './src/resolvers', './src/http', './src/usecases', './src/fhir', './src/export', './src/mcp', ...ROOTS];
const ADAPTERS = ['./src/graph/memory', './src/graph/neo4j', './src/graph/shared'];
export const zones = [
  // Nothing imports the CLI (tests of the CLI itself spawn it or list its commands).
  { target: ['./src/!(cli)/**', './src/*.ts', './bench', './scripts'], from: './src/cli', message: 'Nothing imports src/cli/: call the module the command calls.' },
  { target: ['./src/!(cli)/**', './src/!(server).ts', './bench', './scripts'], from: ['./src/server.ts'], message: 'Only the CLI (serve) and tests import the composition root.' },
  // The graph layer: the port and model know nothing above them; adapters never import each other.
  { target: './src/graph', from: ['./src/ingest', './src/pipeline', './src/evaluation', './src/synth', ...APP], message: 'src/graph/ imports nothing from ingest, pipeline, evaluation, resolvers, http, cli or the composition root.' },
  { target: './src/graph/memory', from: './src/graph/neo4j', message: 'The adapters never import each other: shared helpers live in src/graph/shared/.' },
  { target: './src/graph/neo4j', from: './src/graph/memory', message: 'The adapters never import each other: shared helpers live in src/graph/shared/.' },
  { target: './src/graph/shared', from: ['./src/graph/memory', './src/graph/neo4j'], message: 'src/graph/shared/ serves both adapters and imports neither.' },
  { target: ['./src/graph/*.ts'], from: ADAPTERS, message: 'The port and model do not depend on an adapter.' },
  // Everything above the graph reaches it through the port, never an adapter.
  { target: ['./src/!(graph)/**', './src/services.ts', './src/server.ts'], from: ADAPTERS, message: 'Reach the graph through the GraphStore port (src/graph/GraphStore.ts); only src/createStore.ts picks an adapter.' },
  // Ingest: loaders of files; of the graph only the model types.
  { target: './src/ingest', from: ['./src/graph', './src/pipeline', './src/evaluation', './src/synth', ...APP], except: ['./model.ts'], message: 'src/ingest/ imports only the graph model types (src/graph/model.ts), text, util and errors.' },
  // Evaluation: pure metrics and analytics over the port's read side.
  { target: './src/evaluation', from: ['./src/pipeline', './src/ingest', './src/synth', ...APP], message: 'src/evaluation/ imports only the graph port and model (no pipeline, ingest or app layer).' },
  // The pipeline: models of text; coding and prediction share only the backends.
  { target: './src/pipeline', from: ['./src/synth', ...APP], message: 'src/pipeline/ never imports the app layer (resolvers, http, cli, use cases, composition root).' },
  { target: './src/pipeline/coding', from: './src/pipeline/prediction', message: 'Coding and prediction share only src/pipeline/backends/.' },
  { target: './src/pipeline/prediction', from: './src/pipeline/coding', message: 'Coding and prediction share only src/pipeline/backends/.' },
  { target: './src/pipeline/backends', from: ['./src/pipeline/coding', './src/pipeline/prediction'], message: 'The backends serve both tasks and import neither.' },
  // The synthetic generator reads data through ingest only.
  { target: './src/synth', from: ['./src/pipeline', './src/evaluation', ...APP], message: 'src/synth/ imports ingest, text, util and the graph model only.' },
  // Use cases compose ingest, the port, pipeline and evaluation; never the surfaces above them.
  { target: './src/usecases', from: ['./src/cli', './src/resolvers', './src/http', ...ROOTS], message: 'src/usecases/ serves the CLI and the API and imports neither.' },
  // Resolvers are thin: services, port, pipeline and evaluation types; never http, cli or an adapter.
  { target: './src/resolvers', from: ['./src/cli', './src/http', './src/server.ts', './src/createStore.ts'], message: 'Resolvers read args, call a service and map; they never import the CLI, http or the composition root.' },
  { target: './src/http', from: ['./src/cli', './src/resolvers', './src/pipeline', './src/evaluation', './src/ingest', './src/usecases', ...ROOTS], message: 'src/http/ is the transport: it gets Apollo and services from the composition root.' },
  // Interop surfaces (FHIR, exports, MCP): the port, evaluation and the services, nothing above them.
  { target: ['./src/fhir', './src/export'], from: ['./src/cli', './src/resolvers', './src/http', './src/usecases', './src/pipeline', './src/ingest', './src/synth', './src/mcp', ...ROOTS], message: 'src/fhir/ and src/export/ reach the graph through the port (and evaluation) only.' },
  { target: './src/fhir', from: './src/export', message: 'src/fhir/ and src/export/ do not import each other.' },
  { target: './src/export', from: './src/fhir', message: 'src/fhir/ and src/export/ do not import each other.' },
  { target: './src/mcp', from: ['./src/cli', './src/resolvers', './src/http', './src/usecases', './src/fhir', './src/export', './src/server.ts', './src/createStore.ts'], message: 'src/mcp/ uses the services (src/services.ts) and the port; never the CLI, http, resolvers or the composition root.' },
  // The explorer is a client of the GraphQL API only: it imports nothing of the server.
  { target: './web', from: ['./src', './test', './bench', './scripts'], message: 'web/ (the explorer) uses the GraphQL API only: it imports nothing from src/.' },
  // Leaves.
  { target: ['./src/util', './src/text'], from: ['./src/!(util|text)/**', './src/*.ts'], message: 'src/util/ and src/text/ are leaves: they import only each other.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'web/src/graphql-env.d.ts', 'node_modules/**', 'coverage/**', 'models/**', 'tools/neo4j/target/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    // NodeNext imports name `.js`; the TypeScript resolver maps them to the `.ts` sources, so that
    // import-x/no-cycle sees the real graph.
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The explorer (web/): TSX against its own tsconfig (DOM, Preact JSX, bundler resolution).
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './web/tsconfig.json' })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/graph/neo4j/**', 'src/pipeline/backends/onnx.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'neo4j-driver', message: 'Only src/graph/neo4j/ imports neo4j-driver.' },
        { name: 'onnxruntime-node', message: 'Only src/pipeline/backends/onnx.ts imports onnxruntime.' },
        { name: 'onnxruntime-common', message: 'Only src/pipeline/backends/onnx.ts imports onnxruntime.' },
      ] }],
    },
  },
  // The schema's conventions (schema/README.md): a description on every type, field, argument and
  // enum value; GraphQL naming; Relay connections, edges, page info and arguments.
  {
    files: ['schema/*.graphql'],
    languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: 'schema/*.graphql' } } },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      ...graphqlPlugin.configs['flat/schema-relay'].rules,
      '@graphql-eslint/require-description': ['error', {
        types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true,
      }],
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: true }],
      // Plain lists of values (codes, scores) are fine outside connections.
      '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
      // Short descriptions inline, long ones as blocks: both read well.
      '@graphql-eslint/description-style': 'off',
      // Only entities a client caches carry an id (they implement Node; test/api/schema.test.ts checks them).
      '@graphql-eslint/strict-id-in-types': 'off',
      // `Document.documentId` (the corpus-local id beside the global `id`) and `Code.code` (the value) are deliberate.
      '@graphql-eslint/no-typename-prefix': 'off',
      '@graphql-eslint/naming-convention': ['error', {
        types: 'PascalCase',
        FieldDefinition: 'camelCase',
        InputValueDefinition: 'camelCase',
        Argument: 'camelCase',
        EnumValueDefinition: 'UPPER_CASE',
        'FieldDefinition[parent.name.value=Query]': { forbiddenPrefixes: ['get', 'query'] },
        'FieldDefinition[parent.name.value=Mutation]': { forbiddenPrefixes: ['mutation'] },
      }],
    },
  },
  {
    files: ['src/graph/neo4j/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'onnxruntime-node', message: 'Only src/pipeline/backends/onnx.ts imports onnxruntime.' }] }] },
  },
  {
    files: ['src/pipeline/backends/onnx.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'neo4j-driver', message: 'Only src/graph/neo4j/ imports neo4j-driver.' }] }] },
  },
);
