import { describe, expect, it } from 'vitest';
import { Neo4jExecutor } from '../../src/graph/neo4j/executor.js';
import type { SessionLike, TransactionLike } from '../../src/graph/neo4j/executor.js';
import { mapNeo4jError } from '../../src/graph/neo4j/mapNeo4jError.js';
import { toDriverParameters } from '../../src/graph/neo4j/toDriverParameters.js';
import { NotFoundError } from '../../src/errors.js';
import type { BadUserInputError } from '../../src/errors.js';
import { cypher } from '../../src/graph/neo4j/cypher.js';

/** A driver-like error (the driver's Neo4jError carries `code`). */
function driverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

type Behaviour = 'ok' | Error | 'hang';

/** Sessions that answer per a script of behaviours, one per session, and record what happened. */
function fakeSessions(script: Behaviour[]) {
  const log: string[] = [];
  let n = 0;
  const open = (mode: 'READ' | 'WRITE'): SessionLike => {
    const i = n++;
    const behaviour = script[Math.min(i, script.length - 1)]!;
    const tx: TransactionLike = {
      run: async (text, params) => {
        log.push(`run#${i} ${text.split('\n')[0]} ${JSON.stringify(params)}`);
        return { records: [{ toObject: () => ({ key: 'I25', n: 1 }) }] };
      },
    };
    const exec = (kind: string) => async <T>(work: (tx: TransactionLike) => Promise<T>, config?: { timeout?: number }): Promise<T> => {
      log.push(`${kind}#${i} ${mode} timeout=${config?.timeout}`);
      if (behaviour === 'hang') return new Promise<T>(() => undefined);
      if (behaviour instanceof Error) throw behaviour;
      return work(tx);
    };
    return {
      executeRead: exec('executeRead'),
      executeWrite: exec('executeWrite'),
      close: async () => {
        log.push(`close#${i}`);
      },
    };
  };
  return { open, log };
}

const OPTIONS = { transactionTimeoutMs: 500, deadlineMs: 300 };

describe('Neo4jExecutor', () => {
  it('runs reads with executeRead and writes with executeWrite, and closes each session', async () => {
    const { open, log } = fakeSessions(['ok']);
    const executor = new Neo4jExecutor(open, OPTIONS);
    expect(await executor.readRows(cypher.getNames(['I25'], null))).toEqual([{ key: 'I25', n: 1 }]);
    await executor.writeRows(cypher.mergeCorpora([{ name: 'c' }]), { transactionTimeoutMs: 9000 });
    expect(log).toEqual([
      'executeRead#0 READ timeout=500',
      'run#0 UNWIND $codes AS key {"codes":["I25"],"sources":null}',
      'close#0',
      'executeWrite#1 WRITE timeout=9000',
      'run#1 UNWIND $rows AS row {"rows":[{"name":"c"}]}',
      'close#1',
    ]);
  });

  it('runs several statements of one unit of work in one transaction', async () => {
    const { open, log } = fakeSessions(['ok']);
    const executor = new Neo4jExecutor(open, OPTIONS);
    await executor.write(async (q) => {
      await q.run(cypher.corpusExists('a'));
      await q.run(cypher.deleteLayerMentions('a', 'b'));
    });
    expect(log.filter((l) => l.startsWith('executeWrite'))).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('run#0'))).toHaveLength(2);
  });

  it('closes the session when the work fails, and passes typed errors through', async () => {
    const { open, log } = fakeSessions(['ok']);
    const executor = new Neo4jExecutor(open, OPTIONS);
    const err = await executor.read(async () => {
      throw new NotFoundError('document "9" does not exist');
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(log).toEqual(['executeRead#0 READ timeout=500', 'close#0']);
  });

  it('maps an unreachable database to SERVICE_UNAVAILABLE without the driver message', async () => {
    const { open, log } = fakeSessions([driverError('ServiceUnavailable', 'Failed to connect to server. Caused by: connect ECONNREFUSED db.internal.example:7687')]);
    const executor = new Neo4jExecutor(open, OPTIONS);
    const err = (await executor.readRows(cypher.counts()).catch((e: unknown) => e)) as BadUserInputError;
    expect(err.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'UNREACHABLE', store: 'neo4j', neo4jCode: 'ServiceUnavailable' });
    expect(err.message).not.toMatch(/example|7687|ECONNREFUSED/);
    expect(log).toContain('close#0');
  });

  it('answers SERVICE_UNAVAILABLE at its deadline when the driver hangs', async () => {
    const { open } = fakeSessions(['hang']);
    const executor = new Neo4jExecutor(open, OPTIONS);
    const started = Date.now();
    const err = (await executor.readRows(cypher.counts()).catch((e: unknown) => e)) as BadUserInputError;
    const elapsed = Date.now() - started;
    expect(err.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(err.extensions.reason).toBe('TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1000);
  });

  it('does not latch a failure: the next call after the database is back succeeds', async () => {
    const down = driverError('ServiceUnavailable', 'Connection was closed by server');
    const { open } = fakeSessions([down, 'hang', down, 'ok']);
    const executor = new Neo4jExecutor(open, OPTIONS);
    for (let i = 0; i < 3; i++) {
      const err = (await executor.readRows(cypher.counts()).catch((e: unknown) => e)) as BadUserInputError;
      expect(err.extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect(await executor.readRows(cypher.counts())).toEqual([{ key: 'I25', n: 1 }]);
  });
});

describe('mapNeo4jError', () => {
  const cases: [string, Error, string, string | undefined][] = [
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:7687'), { code: 'ECONNREFUSED' }), 'SERVICE_UNAVAILABLE', 'UNREACHABLE'],
    ['a pool acquisition timeout', driverError('N/A', 'Connection acquisition timed out in 1000 ms. Pool status: Active conn count = 0'), 'SERVICE_UNAVAILABLE', 'UNREACHABLE'],
    ['an expired session', driverError('SessionExpired', 'server at neo4j-2:7687 is no longer available'), 'SERVICE_UNAVAILABLE', 'UNREACHABLE'],
    ['bad credentials', driverError('Neo.ClientError.Security.Unauthorized', 'The client is unauthorized due to authentication failure.'), 'SERVICE_UNAVAILABLE', 'AUTHENTICATION'],
    ['a missing database', driverError('Neo.ClientError.Database.DatabaseNotFound', 'Database does not exist. Database name: icd'), 'SERVICE_UNAVAILABLE', 'DATABASE_NOT_FOUND'],
    ['a transaction timeout', driverError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration', 'timed out'), 'SERVICE_UNAVAILABLE', 'TIMEOUT'],
    ['a missing full-text index', driverError('Neo.ClientError.Procedure.ProcedureCallFailed', 'There is no such fulltext schema index: name_fulltext'), 'SERVICE_UNAVAILABLE', 'SCHEMA_MISSING'],
    ['a constraint violation', driverError('Neo.ClientError.Schema.ConstraintValidationFailed', "Node(1) already exists with label `Code` and property `code` = 'I25'"), 'BAD_USER_INPUT', undefined],
  ];
  for (const [what, error, code, reason] of cases) {
    it(`maps ${what} to ${code}${reason ? ` (${reason})` : ''} with a fixed message`, () => {
      const mapped = mapNeo4jError(error) as BadUserInputError;
      expect(mapped.extensions.code).toBe(code);
      expect(mapped.extensions.reason).toBe(reason);
      expect(mapped.message).not.toContain(error.message);
      expect(mapped.message).not.toMatch(/10\.1\.2\.3|neo4j-2|7687|I25/);
    });
  }

  it('turns an unknown error into a plain error naming only the code', () => {
    const mapped = mapNeo4jError(driverError('Neo.ClientError.Statement.SyntaxError', "Invalid input 'x' near 'secret'"));
    expect(mapped.message).toBe('Neo4j query failed (Neo.ClientError.Statement.SyntaxError)');
  });
});

describe('toDriverParameters', () => {
  it('sends integers as Neo4j integers and leaves everything else', () => {
    const out = toDriverParameters({ limit: 10, score: 0.5, rows: [{ start: 3, text: 'a', code: null }], flag: true });
    expect(String(out.limit)).toBe('10');
    expect((out.limit as { constructor: { name: string } }).constructor.name).toBe('Integer');
    expect(out.score).toBe(0.5);
    const row = (out.rows as Record<string, unknown>[])[0]!;
    expect((row.start as { constructor: { name: string } }).constructor.name).toBe('Integer');
    expect([row.text, row.code, out.flag]).toEqual(['a', null, true]);
  });
});
