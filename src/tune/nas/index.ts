/**
 * Neural architecture search: a search space as a sequence of categorical decisions, the CNN space of the
 * Fashion-MNIST experiment and its module builder, random search, regularized evolution and the REINFORCE-trained
 * LSTM controller, each spending a budget in trained epochs.
 * @module
 */
export { checkSpace, checkEncoding, activeDecisions, randomEncoding, decodeChoices, architectureKey, type Decision, type Encoding, type NasSpace } from './space.js';
export { cnnSpace, describeCnn, hasWidth, CNN_OPS, type CnnOp, type CnnSpace, type CnnSpaceOptions, type CnnArchitecture, type CnnLayerSpec } from './cnn-space.js';
export { buildCnn, NasCnnLayer, type BuildCnnOptions } from './cnn-net.js';
export { NasController, Reinforce, type NasControllerOptions, type ControllerSample, type ReinforceOptions, type ReinforceStep } from './controller.js';
export {
  randomSearch, controllerSearch, candidatesInBudget, bestCandidate, evaluateCandidate,
  type NasObjective, type NasBudgetOptions, type NasCandidate, type NasSearchResult, type RandomSearchOptions, type ControllerSearchOptions,
} from './search.js';
export { regularizedEvolution, mutate, type EvolutionOptions } from './evolution.js';
export { architectureToJson, parseArchitecture, ARCHITECTURE_FORMAT, ARCHITECTURE_VERSION, type ArchitectureFile, type NasArchitecture, type CnnHead } from './arch-file.js';
