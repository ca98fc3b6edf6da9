/**
 * The chain-of-stages CNN search space of the NAS experiment: a fixed macro skeleton (a stride-2 stem, stages
 * separated by 2x2 max-pooling, global average pooling and a linear classifier) whose stages are searched —
 * per stage a depth, and per layer an operation (conv 3x3/5x5, depthwise-separable 3x3/5x5, max-pool 3x3,
 * identity), a width (a multiple of the stage's base width, which doubles at each reduction as in NASNet) and a
 * residual skip connection. `decodeCnn` turns an encoding into a plain, JSON-serializable architecture that
 * `buildCnn` (cnn-net.ts) turns into a module.
 * @module
 */
import { assertNever, ValueError } from '../../errors.js';
import { checkEncoding, checkSpace, type Decision, type Encoding, type NasSpace } from './space.js';

/** The operations a layer can apply. */
export type CnnOp = 'conv3x3' | 'conv5x5' | 'sep3x3' | 'sep5x5' | 'maxpool3x3' | 'identity';

/** Every operation, in the default order of the op decision's choices. */
export const CNN_OPS: readonly CnnOp[] = Object.freeze(['conv3x3', 'conv5x5', 'sep3x3', 'sep5x5', 'maxpool3x3', 'identity'] as CnnOp[]);

/** Options of `cnnSpace`. */
export interface CnnSpaceOptions {
  /** Number of stages (default 2); stage s runs at 1/2^(s+1) of the input resolution. */
  stages?: number;
  /** Largest number of layers of a stage (default 3); each stage chooses a depth in 1..maxLayers. */
  maxLayers?: number;
  /** Operations a layer may choose (default all of `CNN_OPS`). */
  ops?: readonly CnnOp[];
  /** Widths as multiples of the stage's base width (default [0.5, 1, 2]). */
  widthMultipliers?: readonly number[];
  /** Output channels of the stem, which is also stage 0's base width (default 16). */
  stemChannels?: number;
}

/** One layer of a decoded architecture. */
export interface CnnLayerSpec {
  /** The operation. */
  op: CnnOp;
  /** Output channels (for max-pool and identity: the input channels, which they keep). */
  channels: number;
  /** Whether the layer's input is added to its output (through a 1x1 projection when channels differ). */
  skip: boolean;
}

/** A decoded architecture: the stem width and, per stage, its layers; plain data (JSON round-trips). */
export interface CnnArchitecture {
  /** Output channels of the stride-2 3x3 stem convolution. */
  stemChannels: number;
  /** The stages in order, each a non-empty list of layers. */
  stages: CnnLayerSpec[][];
}

/** The searchable CNN space: decisions plus `decode` from an encoding to an architecture. */
export interface CnnSpace extends NasSpace {
  /** The options the space was made with, defaults filled in. */
  readonly options: Required<CnnSpaceOptions>;
  /** The architecture an encoding describes (throws ValueError for an invalid encoding). */
  decode(encoding: Encoding): CnnArchitecture;
}

function positiveInt(fn: string, name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${fn}: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Whether the layer's width decision matters (convolutions choose their output channels; pooling keeps them). */
export function hasWidth(op: CnnOp): boolean {
  switch (op) {
    case 'conv3x3':
    case 'conv5x5':
    case 'sep3x3':
    case 'sep5x5':
      return true;
    case 'maxpool3x3':
    case 'identity':
      return false;
    default:
      return assertNever(op, 'CNN op');
  }
}

/**
 * The CNN search space: for each stage s, a decision `stage{s}.depth` (1..maxLayers) followed by, for each layer
 * slot l, `stage{s}.layer{l}.op`, `.width` and `.skip` — 2 + 2*3*3 = 20 decisions with the defaults, 27 distinct layers
 * (4 convolutions x 3 widths x skip, max-pool x skip, identity), so 27 + 27^2 + 27^3 = 20,439 per stage and
 * about 4.2e8 distinct architectures. Throws ValueError for bad options (an empty op list, a non-positive size).
 */
export function cnnSpace(opts: CnnSpaceOptions = {}): CnnSpace {
  const fn = 'cnnSpace';
  const stages = positiveInt(fn, 'stages', opts.stages, 2);
  const maxLayers = positiveInt(fn, 'maxLayers', opts.maxLayers, 3);
  const stemChannels = positiveInt(fn, 'stemChannels', opts.stemChannels, 16);
  const ops = [...(opts.ops ?? CNN_OPS)];
  if (ops.length === 0) throw new ValueError(`${fn}: ops is empty (a layer needs at least one operation to choose)`);
  for (const op of ops) if (!CNN_OPS.includes(op)) throw new ValueError(`${fn}: unknown op '${op}', expected one of ${CNN_OPS.join(', ')}`);
  if (new Set(ops).size !== ops.length) throw new ValueError(`${fn}: ops lists an operation twice`);
  const widths = [...(opts.widthMultipliers ?? [0.5, 1, 2])];
  if (widths.length === 0) throw new ValueError(`${fn}: widthMultipliers is empty`);
  for (const w of widths) {
    if (!(w > 0) || !Number.isInteger(w * stemChannels)) throw new ValueError(`${fn}: widthMultipliers must be positive with an integer number of channels (multiplier * stemChannels), got ${w}`);
  }
  const decisions: Decision[] = [];
  for (let s = 0; s < stages; s++) {
    decisions.push({ name: `stage${s}.depth`, choices: Array.from({ length: maxLayers }, (_, i) => i + 1) });
    for (let l = 0; l < maxLayers; l++) {
      decisions.push({ name: `stage${s}.layer${l}.op`, choices: ops });
      decisions.push({ name: `stage${s}.layer${l}.width`, choices: widths });
      decisions.push({ name: `stage${s}.layer${l}.skip`, choices: [false, true] });
    }
  }
  const perStage = 1 + 3 * maxLayers;
  const space: CnnSpace = {
    decisions,
    options: { stages, maxLayers, ops, widthMultipliers: widths, stemChannels },
    isActive(encoding: Encoding): boolean[] {
      checkEncoding('cnnSpace.isActive', space, encoding);
      const active = decisions.map(() => false);
      for (let s = 0; s < stages; s++) {
        const base = s * perStage;
        active[base] = true;
        const depth = encoding[base] + 1;
        for (let l = 0; l < depth; l++) {
          const at = base + 1 + 3 * l;
          const op = ops[encoding[at]];
          active[at] = true;
          active[at + 1] = hasWidth(op);
          active[at + 2] = op !== 'identity';
        }
      }
      return active;
    },
    decode(encoding: Encoding): CnnArchitecture {
      checkEncoding('cnnSpace.decode', space, encoding);
      let channels = stemChannels;
      const out: CnnLayerSpec[][] = [];
      for (let s = 0; s < stages; s++) {
        const base = s * perStage;
        const stageWidth = stemChannels * 2 ** s;
        const layers: CnnLayerSpec[] = [];
        for (let l = 0; l < encoding[base] + 1; l++) {
          const at = base + 1 + 3 * l;
          const op = ops[encoding[at]];
          if (hasWidth(op)) channels = Math.round(stageWidth * widths[encoding[at + 1]]);
          layers.push({ op, channels, skip: op !== 'identity' && encoding[at + 2] === 1 });
        }
        out.push(layers);
      }
      return { stemChannels, stages: out };
    },
  };
  checkSpace(fn, space);
  return space;
}

/** A one-line description of an architecture: `stem16 | conv3x3-32+skip, maxpool3x3-32 | sep5x5-64`. */
export function describeCnn(arch: CnnArchitecture): string {
  const layer = (l: CnnLayerSpec) => `${l.op}${hasWidth(l.op) ? `-${l.channels}` : ''}${l.skip ? '+skip' : ''}`;
  return [`stem${arch.stemChannels}`, ...arch.stages.map((st) => st.map(layer).join(', '))].join(' | ');
}
