import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import neo4j from 'neo4j-driver';
import type { Driver, ProfiledPlan } from 'neo4j-driver';
import { loadConfig } from '../../src/config.js';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import { createDriver, sessionFactory } from '../../src/graph/neo4j/createDriver.js';
import { cypher } from '../../src/graph/neo4j/cypher.js';
import type { Statement } from '../../src/graph/neo4j/cypher.js';
import { Neo4jExecutor } from '../../src/graph/neo4j/executor.js';
import type { SessionFactory } from '../../src/graph/neo4j/executor.js';
import { keys } from '../../src/graph/neo4j/keys.js';
import { Neo4jStore } from '../../src/graph/neo4j/Neo4jStore.js';
import { toDriverParameters } from '../../src/graph/neo4j/toDriverParameters.js';
import { sampleData } from '../fixtures/sample.js';
import { freshNeo4jStore } from './freshNeo4jStore.js';
import { graphSummary } from './graphChecksum.js';

/**
 * On a live Neo4j (NEO4J_URI): the hot statements' plans start from index seeks, and a write that
 * fails part-way through its transaction leaves the graph as it was.
 */
const uri = process.env.NEO4J_URI;

/** Every operator of a profiled plan, depth first. */
function operators(plan: ProfiledPlan): string[] {
  return [plan.operatorType.replace(/@.*$/, ''), ...plan.children.flatMap(operators)];
}

if (!uri) {
  console.warn('Neo4j plan and transaction tests skipped: NEO4J_URI is not set (npm run neo4j:start; NEO4J_URI=bolt://127.0.0.1:7687)');
  describe.skip('Neo4j plans and transactions', () => {
    it('needs NEO4J_URI', () => undefined);
  });
} else {
  const config = loadConfig();
  let store: GraphStore;
  let driver: Driver;
  beforeAll(async () => {
    store = await freshNeo4jStore(await sampleData('fixture'));
    driver = neo4j.driver(uri, neo4j.auth.basic(config.neo4j.username, config.neo4j.password));
  });
  afterAll(async () => {
    await store?.close();
    await driver?.close();
  });

  async function profile(s: Statement): Promise<string[]> {
    const session = driver.session({ database: config.neo4j.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.run(`PROFILE ${s.text}`, toDriverParameters(s.parameters));
      expect(result.summary.hasProfile()).toBe(true);
      return operators(result.summary.profile as ProfiledPlan);
    } finally {
      await session.close();
    }
  }

  const doc1 = keys.document('fixture', '1');
  const hot: Record<string, Statement> = {
    // Code lookups, children and ancestors are answered from the in-process tree; what they
    // still run against the database, at most once a second, is the tree's stamp check.
    "the code tree's stamp": cypher.treeStamp(),
    names: cypher.getNames(['I25'], null),
    "a layer's mentions of a document": cypher.getLayer('gold', [doc1]),
  };

  describe('Neo4j plans of the hot statements', () => {
    for (const [name, statement] of Object.entries(hot)) {
      it(`${name} starts from an index seek, never a scan`, async () => {
        const ops = await profile(statement);
        expect(ops.filter((op) => /Scan$/.test(op))).toEqual([]);
        expect(ops.some((op) => /IndexSeek/.test(op))).toBe(true);
      });
    }
  });

  describe('Neo4j write transactions', () => {
    it('leave nothing behind when a write fails part-way (failure injected before the last statement)', async () => {
      const before = await graphSummary(config);
      const ownDriver = createDriver(config.neo4j);
      const base = sessionFactory(ownDriver, config.neo4j.database);
      const statements: string[] = [];
      // The real session; its transactions fail on the assignments statement, after the layer's
      // old mentions were cleared and its new mentions merged in the same transaction.
      const failing: SessionFactory = (mode) => {
        const session = base(mode);
        const inject = <T>(run: typeof session.executeWrite) => (work: Parameters<typeof session.executeWrite<T>>[0], cfg?: { timeout?: number }) =>
          run<T>((tx) => work({
            run: async (text, params) => {
              statements.push(text);
              if (text === cypher.mergeAssignments([]).text) throw Object.assign(new Error('injected'), { code: 'Neo.ClientError.Statement.ArgumentError' });
              return tx.run(text, params);
            },
          }), cfg);
        return { ...session, executeWrite: inject(session.executeWrite.bind(session)) as typeof session.executeWrite };
      };
      const broken = new Neo4jStore(new Neo4jExecutor(failing, { transactionTimeoutMs: 10_000, deadlineMs: 20_000 }));
      const [gold] = await store.getLayer('fixture', 'gold', ['1']);
      try {
        await expect(broken.putLayer('fixture', 'gold', [{ ...gold!, mentions: gold!.mentions.slice(0, 1), codes: ['I25.2'] }])).rejects.toThrow();
      } finally {
        await ownDriver.close();
      }
      expect(statements).toContain(cypher.mergeMentions([]).text);
      expect(statements).toContain(cypher.clearLayerMentions('gold', []).text);
      expect(await graphSummary(config)).toEqual(before);
      expect(await store.getLayer('fixture', 'gold', ['1'])).toEqual([gold]);
    });
  });
}
