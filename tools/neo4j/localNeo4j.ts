/**
 * A local Neo4j Community 5.26 for development, tests and CI, without Docker: `npm run
 * neo4j:start|stop|status`. Maven resolves Neo4j from Maven Central through `tools/neo4j/pom.xml`
 * (once; later starts reuse `~/.m2` and `tools/neo4j/target/`), and `LocalNeo4j.java` runs it
 * embedded with a Bolt connector. Everything it writes lives under `ICDKG_NEO4J_DIR`
 * (default `.icdkg/neo4j/`): `data/`, `neo4j.pid`, `neo4j.log`.
 *
 * Environment: NEO4J_BOLT_PORT (7687), NEO4J_PASSWORD (development default below),
 * ICDKG_NEO4J_DIR, ICDKG_NEO4J_HEAP (1g).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';

/** The password of the local development database when NEO4J_PASSWORD is unset (docs/neo4j.md). */
export const DEV_PASSWORD = 'icdkg-dev-password';

const toolDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(toolDir, '..', '..');

export interface LocalNeo4jOptions {
  dir: string;
  port: number;
  password: string;
  heap: string;
}

/**
 * The local Neo4j's settings from the environment.
 *
 * @example const { port } = localNeo4jOptions(); // 7687 unless NEO4J_BOLT_PORT is set
 */
export function localNeo4jOptions(env: NodeJS.ProcessEnv = process.env): LocalNeo4jOptions {
  return {
    dir: resolve(repoRoot, env.ICDKG_NEO4J_DIR || '.icdkg/neo4j'),
    port: Number(env.NEO4J_BOLT_PORT || 7687),
    password: env.NEO4J_PASSWORD || DEV_PASSWORD,
    heap: env.ICDKG_NEO4J_HEAP || '1g',
  };
}

/** The Bolt URI of the local Neo4j. @example boltUri(localNeo4jOptions()) // 'bolt://127.0.0.1:7687' */
export function boltUri(o: LocalNeo4jOptions): string {
  return `bolt://127.0.0.1:${o.port}`;
}

function pidFile(o: LocalNeo4jOptions): string {
  return join(o.dir, 'neo4j.pid');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the running local Neo4j, or null. @example runningPid(localNeo4jOptions()) */
export function runningPid(o: LocalNeo4jOptions): number | null {
  if (!existsSync(pidFile(o))) return null;
  const pid = Number(readFileSync(pidFile(o), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/**
 * True when Bolt accepts an authenticated session; throws when it refuses the credentials.
 *
 * @example await boltAccepts(localNeo4jOptions())
 */
export async function boltAccepts(o: LocalNeo4jOptions): Promise<boolean> {
  const driver = neo4j.driver(boltUri(o), neo4j.auth.basic('neo4j', o.password), {
    connectionAcquisitionTimeout: 2_000,
    connectionTimeout: 2_000,
    maxConnectionPoolSize: 1,
    logging: { level: 'error', logger: () => undefined },
  });
  try {
    await driver.executeQuery('RETURN 1');
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('Neo.ClientError.Security')) throw new Error(`Neo4j at ${boltUri(o)} refused the credentials (${code}): is NEO4J_PASSWORD the one its data was created with?`);
    return false;
  } finally {
    await driver.close();
  }
}

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function newer(a: string, b: string): boolean {
  return !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;
}

/** Resolves Neo4j with Maven and compiles the launcher when the pom or the launcher changed. */
function build(): string {
  const classpathFile = join(toolDir, 'target', 'classpath.txt');
  // Maven leaves classpath.txt untouched when it is unchanged: a stamp of our own marks the build.
  const stamp = join(toolDir, 'target', 'icdkg-built.stamp');
  const javaSource = join(toolDir, 'src', 'main', 'java', 'icdkg', 'LocalNeo4j.java');
  if (!existsSync(classpathFile) || newer(join(toolDir, 'pom.xml'), stamp) || newer(javaSource, stamp)) {
    if (!has('mvn', ['-v'])) throw new Error('Maven (mvn) is not on the PATH: install Maven 3 to resolve Neo4j from Maven Central (see docs/neo4j.md).');
    console.error('resolving Neo4j Community with Maven (the first time downloads about 160 MB into ~/.m2)...');
    // Maven prints its errors on stdout: show its output only when it fails.
    const r = spawnSync('mvn', ['-q', '-B', '-f', join(toolDir, 'pom.xml'), 'package'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`mvn package failed (exit ${r.status}); see its output above.`);
    }
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }
  return `${join(toolDir, 'target', 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the local Neo4j in the background and resolves once Bolt accepts a session; a no-op
 * when it is already running.
 *
 * @example const { uri } = await startLocalNeo4j(); // 'bolt://127.0.0.1:7687'
 */
export async function startLocalNeo4j(o: LocalNeo4jOptions = localNeo4jOptions(), timeoutMs = 180_000): Promise<{ uri: string; pid: number; alreadyRunning: boolean }> {
  const existing = runningPid(o);
  if (existing !== null) return { uri: boltUri(o), pid: existing, alreadyRunning: true };
  if (!has('java', ['-version'])) throw new Error('Java is not on the PATH: install a Java 17 runtime (e.g. apt-get install openjdk-17-jre-headless) to run the local Neo4j.');
  const classpath = build();
  mkdirSync(o.dir, { recursive: true });
  const logPath = join(o.dir, 'neo4j.log');
  const logStart = existsSync(logPath) ? statSync(logPath).size : 0;
  const log = openSync(logPath, 'a');
  const child = spawn('java', [`-Xmx${o.heap}`, '-XX:+UseG1GC', '-cp', classpath, 'icdkg.LocalNeo4j', join(o.dir, 'data')], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, NEO4J_BOLT_PORT: String(o.port), NEO4J_PASSWORD: o.password },
  });
  closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  const pid = child.pid!;
  writeFileSync(pidFile(o), `${pid}\n`);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      rmSync(pidFile(o), { force: true });
      throw new Error(`Neo4j exited during start (code ${exited}); see ${join(o.dir, 'neo4j.log')}`);
    }
    // Bolt listens before the launcher has set the password: wait for its "ready" line first.
    if (readFileSync(logPath).subarray(logStart).includes('neo4j ready') && (await boltAccepts(o))) return { uri: boltUri(o), pid, alreadyRunning: false };
    await sleep(500);
  }
  throw new Error(`Neo4j did not accept a Bolt session within ${timeoutMs / 1000} s; see ${join(o.dir, 'neo4j.log')}`);
}

/**
 * Stops the local Neo4j gracefully (SIGTERM; its shutdown hook checkpoints and closes the store)
 * and waits for the process to exit.
 *
 * @example await stopLocalNeo4j(); // false when it was not running
 */
export async function stopLocalNeo4j(o: LocalNeo4jOptions = localNeo4jOptions(), timeoutMs = 60_000): Promise<boolean> {
  const pid = runningPid(o);
  if (pid === null) {
    rmSync(pidFile(o), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`Neo4j (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
  rmSync(pidFile(o), { force: true });
  return true;
}

async function main(verb: string | undefined): Promise<number> {
  const o = localNeo4jOptions();
  switch (verb) {
    case 'start': {
      const r = await startLocalNeo4j(o);
      console.log(r.alreadyRunning ? `Neo4j is already running (pid ${r.pid}) at ${r.uri}` : `Neo4j started (pid ${r.pid}) at ${r.uri}`);
      if (!process.env.NEO4J_PASSWORD) console.log(`user neo4j, password ${DEV_PASSWORD} (development default; set NEO4J_PASSWORD to change it)`);
      return 0;
    }
    case 'stop':
      console.log((await stopLocalNeo4j(o)) ? 'Neo4j stopped' : 'Neo4j is not running');
      return 0;
    case 'status': {
      const pid = runningPid(o);
      if (pid === null) {
        console.log('Neo4j is not running (npm run neo4j:start)');
        return 3;
      }
      console.log(`Neo4j is running (pid ${pid}) at ${boltUri(o)}${(await boltAccepts(o)) ? '' : ', but Bolt does not accept a session yet'}`);
      return 0;
    }
    default:
      console.error('usage: localNeo4j.ts start|stop|status');
      return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
