import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'models/**', 'tools/neo4j/target/**'] },
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
  {
    files: ['src/graph/neo4j/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'onnxruntime-node', message: 'Only src/pipeline/backends/onnx.ts imports onnxruntime.' }] }] },
  },
  {
    files: ['src/pipeline/backends/onnx.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'neo4j-driver', message: 'Only src/graph/neo4j/ imports neo4j-driver.' }] }] },
  },
);
