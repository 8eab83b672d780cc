import { codingResolvers } from './coding.js';
import { corpusResolvers } from './corpus.js';
import { evaluationResolvers } from './evaluation.js';
import { icdResolvers } from './icd.js';
import { predictionResolvers } from './prediction.js';
import { systemResolvers } from './system.js';
import { nodeResolvers } from './node.js';
import { writeResolvers } from './write.js';
import { DateScalar } from './DateScalar.js';

/**
 * The resolver maps of every domain, merged by Apollo (it accepts an array of maps). A new
 * domain adds one import and one entry here, and its SDL as `schema/<domain>.graphql`
 * (`extend type Query { ... }`), which `loadTypeDefs` picks up by itself.
 */
export const resolvers = [
  icdResolvers,
  corpusResolvers,
  systemResolvers,
  evaluationResolvers,
  predictionResolvers,
  codingResolvers,
  nodeResolvers,
  writeResolvers,
  { Date: DateScalar },
];
