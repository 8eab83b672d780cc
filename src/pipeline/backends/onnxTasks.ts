/** What a task needs from its manifest and which output it reads by default. */
export interface OnnxTaskSpec {
  /** Output names tried in order when the manifest names none. */
  outputs: readonly string[];
  /** Whether the manifest must list labels (one per logit). */
  needsLabels: boolean;
  description: string;
}

/**
 * The task registry (as transformers.js has): every ONNX model declares one of these tasks in its
 * manifest. Adding a task means adding an entry here and its runner in `src/pipeline/coding/onnx/` or `src/pipeline/prediction/onnx/`.
 */
export const ONNX_TASKS = {
  'token-classification': {
    outputs: ['logits'],
    needsLabels: true,
    description: 'BIO named-entity tagger: logits [batch, tokens, labels] -> mention spans',
  },
  'sentence-embedding': {
    outputs: ['sentence_embedding', 'pooler_output', 'last_hidden_state'],
    needsLabels: false,
    description: 'text encoder: last_hidden_state [batch, tokens, hidden] (pooled) or [batch, hidden] -> unit vectors',
  },
  'multi-label-classification': {
    outputs: ['logits'],
    needsLabels: true,
    description: 'text classifier: logits [batch, labels] -> independent sigmoid probabilities',
  },
} as const satisfies Record<string, OnnxTaskSpec>;

export type OnnxTask = keyof typeof ONNX_TASKS;

/** An unknown task, named with the list of valid ones. */
export class UnknownTaskError extends Error {
  constructor(task: unknown, where: string) {
    super(`${where}: unknown task ${JSON.stringify(task)}; valid tasks: ${Object.keys(ONNX_TASKS).join(', ')}`);
    this.name = 'UnknownTaskError';
  }
}

/**
 * Looks a task up, rejecting unknown ones with the list of valid tasks.
 *
 * @example onnxTask('token-classification', 'models/x/manifest.json').needsLabels // true
 */
export function onnxTask(task: unknown, where: string): OnnxTaskSpec & { name: OnnxTask } {
  if (typeof task !== 'string' || !Object.hasOwn(ONNX_TASKS, task)) throw new UnknownTaskError(task, where);
  return { name: task as OnnxTask, ...ONNX_TASKS[task as OnnxTask] };
}
