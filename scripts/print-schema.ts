/**
 * `npm run schema:print`: writes the printed schema to `schema/snapshot/schema.graphql`. Run it
 * when a schema change is deliberate; test/api/schema.test.ts compares the SDL files with it and
 * fails on any difference, listing the breaking ones (graphql-js `findBreakingChanges`).
 */
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/resolvers/loadTypeDefs.js';

const out = new URL('../schema/snapshot/schema.graphql', import.meta.url);
writeFileSync(out, printedSchema());
console.log(`wrote ${out.pathname}`);
