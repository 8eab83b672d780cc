import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { GraphStore } from '../graph/GraphStore.js';
import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import { LIFT_LEVELS, NAME_SOURCES } from '../graph/model.js';
import type { Code } from '../graph/model.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';

/** The services the MCP tools use. */
export type McpServices = Pick<Services, 'store' | 'config' | 'coder' | 'evaluation'>;

const VERSION = '0.1.0';
/** Names of a code listed by `lookup_code` (the rest are counted). */
const NAMES_SHOWN = 20;

function json(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> };
}

async function requireCode(store: GraphStore, code: string, argumentName: string): Promise<Code> {
  const [found] = await store.getCodes([code.trim()]);
  if (!found) throw new NotFoundError(`No ICD-10 code ${JSON.stringify(code.slice(0, 40))} (argument ${argumentName})`, { argumentName });
  return found;
}

async function chainOf(store: GraphStore, code: Code): Promise<string[]> {
  const [ancestors] = await store.getAncestors([code.code]);
  return [code.code, ...ancestors!.map((a) => a.code)];
}

function checkText(text: string, max: number, argumentName: string): void {
  // Clinical text: its length may be reported, never its content.
  if (text.trim() === '') throw new BadUserInputError(`${argumentName} must not be empty`, { argumentName });
  if (text.length > max) throw new BadUserInputError(`${argumentName} must be at most ${max} characters, got ${text.length}`, { argumentName });
}

/** A code as the tools and the `icd10://` resources show it. */
async function describeCode(store: GraphStore, code: Code) {
  const [[ancestors], [children], [names]] = await Promise.all([store.getAncestors([code.code]), store.getChildren([code.code]), store.getNames([code.code])]);
  return {
    code: code.code,
    title: code.title,
    kind: code.kind,
    parent: code.parent,
    ancestors: ancestors!.map((a) => ({ code: a.code, title: a.title })),
    children: children!.map((c) => ({ code: c.code, title: c.title })),
    names: names!.slice(0, NAMES_SHOWN).map((n) => ({ text: n.text, source: n.source, lang: n.lang })),
    moreNames: Math.max(0, names!.length - NAMES_SHOWN),
  };
}

/**
 * The ICD-KG MCP server (docs/mcp.md): read-only tools over the services — `lookup_code`,
 * `search_codes`, `code_text`, `is_a`, `hierarchy_relation`, `transitions_from`, `evaluate_layer`
 * — with JSON-schema'd inputs (zod) and concise JSON outputs, and every code as a resource
 * `icd10://<code>`. Tool calls are logged by name and duration only: arguments (clinical text
 * among them) never.
 *
 * @example const server = createMcpServer(services, logger); await server.connect(new StdioServerTransport());
 */
export function createMcpServer(services: McpServices, logger: Logger): McpServer {
  const { store, config } = services;
  const server = new McpServer({ name: 'icd-kg', version: VERSION }, { capabilities: { logging: {} } });
  const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

  /** Wraps a tool body: logs name, duration and outcome (never arguments). */
  const run = async (tool: string, body: () => Promise<unknown>): Promise<CallToolResult> => {
    const started = performance.now();
    try {
      const result = json(await body());
      logger.debug({ tool, ms: Math.round(performance.now() - started) }, 'mcp tool call');
      return result;
    } catch (err) {
      const code = (err as { extensions?: { code?: unknown } }).extensions?.code;
      logger.debug({ tool, ms: Math.round(performance.now() - started), error: typeof code === 'string' ? code : 'INTERNAL' }, 'mcp tool call failed');
      if (typeof code === 'string') return { content: [{ type: 'text', text: `${code}: ${(err as Error).message}` }], isError: true };
      logger.error({ tool, err }, 'mcp tool failed');
      return { content: [{ type: 'text', text: 'Internal error' }], isError: true };
    }
  };

  server.registerTool(
    'lookup_code',
    {
      title: 'Look up an ICD-10 code',
      description: 'An ICD-10 (МКБ-10) code: title, kind, parent, ancestors, children and names (synonyms from every source).',
      inputSchema: { code: z.string().min(1).max(40).describe('An ICD-10 code, e.g. I25.2, I20-I25, F13.201Н') },
      annotations: readOnly,
    },
    ({ code }) => run('lookup_code', async () => describeCode(store, await requireCode(store, code, 'code'))),
  );

  server.registerTool(
    'search_codes',
    {
      title: 'Search ICD-10 codes by name',
      description: 'Ranked, typo- and inflection-tolerant search over every name of every code (titles, synonyms, abbreviations, corpus mentions); one hit per code.',
      inputSchema: {
        text: z.string().min(1).describe('Words to look for, e.g. "ишемическая болезнь сердца"'),
        first: z.number().int().min(1).max(100).default(10).describe('How many hits'),
        sources: z.array(z.enum(NAME_SOURCES)).optional().describe('Only names of these sources'),
      },
      annotations: readOnly,
    },
    ({ text, first, sources }) =>
      run('search_codes', async () => {
        checkText(text, config.limits.maxTextLength, 'text');
        const hits = await store.searchNames(text, { first, sources: sources && sources.length > 0 ? sources : undefined });
        const codes = await store.getCodes(hits.map((h) => h.code));
        return { hits: hits.map((h, i) => ({ code: h.code, title: codes[i]?.title ?? null, score: Number(h.score.toFixed(4)), matched: h.name.text, source: h.name.source })) };
      }),
  );

  server.registerTool(
    'code_text',
    {
      title: 'Code a clinical text',
      description: 'Finds the diagnoses mentioned in a (Russian) clinical text and links each to an ICD-10 code; returns the distinct codes and each mention with its span and score. The text is not logged or stored.',
      inputSchema: {
        text: z.string().min(1).describe('A diagnosis conclusion or any clinical text'),
        topK: z.number().int().min(1).max(10).default(1).describe('Candidate codes kept per mention'),
      },
      annotations: readOnly,
    },
    ({ text, topK }) =>
      run('code_text', async () => {
        checkText(text, config.limits.maxTextLength, 'text');
        const [result] = await (await services.coder.get()).code([text], { topK });
        return {
          codes: result!.codes,
          entities: result!.entities.map((e) => ({ start: e.start, end: e.end, text: e.text, code: e.code, title: e.title, score: Number(e.score.toFixed(4)), candidates: e.candidates.map((c) => c.code) })),
        };
      }),
  );

  server.registerTool(
    'is_a',
    {
      title: 'Is code A a kind of code B?',
      description: 'True when B is A itself or one of its ancestors in the ICD-10 tree (through PARENT hops), e.g. I25.2 is a I20-I25.',
      inputSchema: { code: z.string().min(1).max(40).describe('The more specific code (A)'), ancestor: z.string().min(1).max(40).describe('The more general code (B)') },
      annotations: readOnly,
    },
    ({ code, ancestor }) =>
      run('is_a', async () => {
        const [a, b] = await Promise.all([requireCode(store, code, 'code'), requireCode(store, ancestor, 'ancestor')]);
        const rel = hierarchyRelation(await chainOf(store, a), await chainOf(store, b));
        return { code: a.code, ancestor: b.code, isA: rel.lca === b.code, hops: rel.lca === b.code ? rel.upFromA : null };
      }),
  );

  server.registerTool(
    'hierarchy_relation',
    {
      title: 'Distance and lowest common ancestor of two codes',
      description: 'The lowest common ancestor of two ICD-10 codes and the hop distance between them through it (codes of different chapters meet at a virtual root).',
      inputSchema: { a: z.string().min(1).max(40), b: z.string().min(1).max(40) },
      annotations: readOnly,
    },
    ({ a, b }) =>
      run('hierarchy_relation', async () => {
        const [ca, cb] = await Promise.all([requireCode(store, a, 'a'), requireCode(store, b, 'b')]);
        const rel = hierarchyRelation(await chainOf(store, ca), await chainOf(store, cb));
        const [lca] = rel.lca ? await store.getCodes([rel.lca]) : [null];
        return { a: ca.code, b: cb.code, lca: lca ? { code: lca.code, title: lca.title, kind: lca.kind } : null, distance: rel.distance, upFromA: rel.upFromA, upFromB: rel.upFromB };
      }),
  );

  server.registerTool(
    'transitions_from',
    {
      title: 'What replaced a code between two layers',
      description: 'Transition analysis: for a code of a corpus or cohort, the codes that replaced it between two layers (doctor-assigned `original` -> coder-derived `linked` by default), by count, with their place in the tree.',
      inputSchema: {
        corpus: z.string().min(1).describe('Corpus or cohort name'),
        code: z.string().min(1).max(40).describe('The replaced code, e.g. I25.2'),
        fromLayer: z.string().min(1).default('original'),
        toLayer: z.string().min(1).default('linked'),
        first: z.number().int().min(1).max(100).default(10),
      },
      annotations: readOnly,
    },
    ({ corpus, code, fromLayer, toLayer, first }) =>
      run('transitions_from', async () => {
        const from = await requireCode(store, code, 'code');
        const rows = await services.evaluation.transitions({ cohort: corpus, from: from.code, to: null, fromLayer, toLayer, minCount: 1, first });
        return {
          corpus,
          fromLayer,
          toLayer,
          code: from.code,
          transitions: rows.map((t) => ({ to: t.to, count: t.count, share: Number(t.share.toFixed(4)), lca: t.relation.lowestCommonAncestor, distance: t.relation.hopDistance, sameCategory: t.relation.sameCategory })),
        };
      }),
  );

  server.registerTool(
    'evaluate_layer',
    {
      title: 'Evaluate a layer against gold',
      description: 'Precision, recall, F1 and accuracy of a predicted layer of a corpus against its gold layer (NER, NER+linking, code assignment), strict or relaxed to a level of the tree.',
      inputSchema: {
        corpus: z.string().min(1),
        predicted: z.string().min(1).describe('The layer to score, e.g. system:lexical'),
        gold: z.string().min(1).default('gold'),
        split: z.string().min(1).optional().describe('Only documents of this split (e.g. dev)'),
        level: z.enum(LIFT_LEVELS).optional().describe('Relaxed matching: lift codes to this level first'),
      },
      annotations: readOnly,
    },
    ({ corpus, predicted, gold, split, level }) =>
      run('evaluate_layer', async () => {
        const e = await services.evaluation.evaluateLayers({ corpus, gold, predicted, split: split ?? null, level: level ?? null });
        return e;
      }),
  );

  server.registerResource(
    'icd10-code',
    new ResourceTemplate('icd10://{code}', {
      list: async () => ({
        resources: (await store.chapters()).map((c) => ({ uri: `icd10://${encodeURIComponent(c.code)}`, name: c.code, title: c.title, mimeType: 'application/json' })),
      }),
    }),
    { title: 'ICD-10 code', description: 'An ICD-10 code with its title, ancestors, children and names; listed: the chapters (follow `children`).', mimeType: 'application/json' },
    async (uri, variables) => {
      const raw = Array.isArray(variables.code) ? variables.code[0]! : variables.code!;
      const code = await requireCode(store, decodeURIComponent(raw), 'uri');
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await describeCode(store, code)) }] };
    },
  );

  return server;
}
