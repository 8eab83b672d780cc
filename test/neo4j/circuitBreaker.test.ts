import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, tcpProbe } from '../../src/graph/neo4j/circuitBreaker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (e: unknown) => (e as { extensions?: { code?: string } }).extensions?.code;

describe('CircuitBreaker', () => {
  it('lets fast calls through without probing', async () => {
    let probes = 0;
    const breaker = new CircuitBreaker(async () => (probes++, true), { suspectAfterMs: 50, retryIntervalMs: 100 });
    expect(await breaker.run(async () => 42)).toBe(42);
    expect(probes).toBe(0);
  });

  it('leaves a slow call running when the probe finds the database up', async () => {
    let probes = 0;
    const breaker = new CircuitBreaker(async () => (probes++, true), { suspectAfterMs: 20, retryIntervalMs: 100 });
    expect(await breaker.run(async () => (await sleep(120), 'slow'))).toBe('slow');
    expect(probes).toBe(1);
    expect(breaker.isOpen).toBe(false);
  });

  it('fails a pending call early when the probe finds the database down, fails fast while open, and closes when it answers again', async () => {
    let up = false;
    let calls = 0;
    const breaker = new CircuitBreaker(async () => up, { suspectAfterMs: 30, retryIntervalMs: 100 });
    const t0 = performance.now();
    const hung = breaker.run(() => (calls++, new Promise<never>(() => undefined)));
    await expect(hung).rejects.toSatisfy((e) => code(e) === 'SERVICE_UNAVAILABLE');
    expect(performance.now() - t0).toBeLessThan(500);
    expect(breaker.isOpen).toBe(true);

    // Open: the call is not even started.
    await expect(breaker.run(async () => (calls++, 1))).rejects.toSatisfy((e) => code(e) === 'SERVICE_UNAVAILABLE');
    expect(calls).toBe(1);

    // Past the retry interval, still down: one probe, still failing, still not started.
    await sleep(120);
    await expect(breaker.run(async () => (calls++, 1))).rejects.toSatisfy((e) => code(e) === 'SERVICE_UNAVAILABLE');
    expect(calls).toBe(1);

    up = true;
    await sleep(120);
    expect(await breaker.run(async () => (calls++, 'back'))).toBe('back');
    expect(breaker.isOpen).toBe(false);
    expect(calls).toBe(2);
  });

  it('opens when a call fails as unreachable, and not on other errors', async () => {
    const breaker = new CircuitBreaker(async () => true, { suspectAfterMs: 1000, retryIntervalMs: 100 });
    await expect(breaker.run(async () => Promise.reject(new Error('a bug')))).rejects.toThrow('a bug');
    expect(breaker.isOpen).toBe(false);
    const { unreachableError } = await import('../../src/graph/neo4j/circuitBreaker.js');
    await expect(breaker.run(async () => Promise.reject(unreachableError()))).rejects.toSatisfy((e) => code(e) === 'SERVICE_UNAVAILABLE');
    expect(breaker.isOpen).toBe(true);
  });
});

describe('tcpProbe', () => {
  it('is true for a listening port and false once it is closed', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const probe = tcpProbe(`bolt://127.0.0.1:${port}`, 300);
    expect(await probe()).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await probe()).toBe(false);
  });
});
