import { shuffleInPlace } from '../../../util/shuffleInPlace.js';

/**
 * The SGD schedule both trainers follow: `epochs` passes over `n` examples, each pass in a fresh
 * seeded shuffle, with a learning rate decaying linearly from `learningRate` to 0 over all steps,
 * scaled per step by the example's weight. Yields lazily, so the shuffle of a pass draws from
 * `rand` after the previous pass's steps did (the trainers draw dropout from the same source).
 *
 * @example for (const { i, eta } of sgdSteps(examples.length, { epochs: 3, learningRate: 0.5 }, mulberry32(1))) update(i, eta);
 */
export function* sgdSteps(
  n: number,
  options: { epochs: number; learningRate: number },
  rand: () => number,
  exampleWeights?: ArrayLike<number> | null,
): Generator<{ i: number; eta0: number; eta: number }> {
  const order = Array.from({ length: n }, (_, i) => i);
  const total = Math.max(1, options.epochs * n);
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const i of order) {
      const eta0 = options.learningRate * (1 - t / total);
      t++;
      // An example's weight scales its loss gradient (not the weight decay it triggers).
      yield { i, eta0, eta: exampleWeights ? eta0 * exampleWeights[i]! : eta0 };
    }
  }
}
