/**
 * Faster R-CNN (issue 15): backbone, region proposal network, RoI heads and the matching/sampling they share.
 * @module
 */
export { FasterRCNN, type FasterRcnnOptions } from './model.js';
export { ResNetBackbone, type ResNetBackboneOptions } from './backbone.js';
export { RegionProposalNetwork, RPNHead, type RpnOptions, type RpnOutput } from './rpn.js';
export { RoIHeads, TwoMLPHead, FastRCNNPredictor, type RoIHeadsOptions } from './roi-heads.js';
export { Matcher, BalancedPositiveNegativeSampler, iouMatrix, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, type MatcherOptions, type SampledIndices } from './matching.js';
