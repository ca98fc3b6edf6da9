/**
 * The RNN controller of Zoph & Le (2017), "Neural Architecture Search with Reinforcement Learning": an LSTM
 * that emits an architecture one decision at a time, each decision a softmax over its choices, the embedding of
 * the choice just made fed back as the next step's input. It is trained with REINFORCE: after an architecture
 * earns reward R (its validation accuracy), the loss -(R - b) * log p(architecture) is minimized, b being an
 * exponential moving average of past rewards (the baseline that lowers the gradient's variance).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import { ModuleList } from '../../nn/containers.js';
import { Embedding } from '../../nn/embedding.js';
import { uniform_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { LSTMCell } from '../../nn/recurrent-cells.js';
import { Adam } from '../../optim/adam.js';
import { tensor } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkEncoding, checkSpace, type Encoding, type NasSpace } from './space.js';

/** Options of `NasController`. */
export interface NasControllerOptions {
  /** Width of the LSTM state and of the choice embeddings (default 32). */
  hiddenSize?: number;
  /** Seed of the initial weights (uniform in [-0.1, 0.1], as Zoph & Le's [-0.08, 0.08]) and of sampling (default 0). */
  seed?: number;
}

/** One architecture drawn by the controller, with the differentiable quantities REINFORCE needs. */
export interface ControllerSample {
  /** The architecture: one choice index per decision. */
  encoding: number[];
  /** log p(encoding) under the controller, a differentiable scalar []. */
  logProb: Tensor;
  /** Sum over decisions of the softmax entropies, a differentiable scalar []. */
  entropy: Tensor;
}

/**
 * The LSTM controller: an embedding table (a start token plus one row per choice of every decision, [1 + sum
 * n_t, hiddenSize]), an LSTMCell(hiddenSize, hiddenSize), and per decision t a linear head hiddenSize -> n_t.
 */
export class NasController extends Module {
  /** Start token (row 0) and choice embeddings, [1 + total choices, hiddenSize]. */
  readonly embedding: Embedding;
  /** The recurrent cell that carries the partial architecture. */
  readonly cell: LSTMCell;
  /** One softmax head per decision: hiddenSize -> number of its choices. */
  readonly heads: ModuleList;
  /** The space the controller samples from. */
  readonly space: NasSpace;
  /** Width of the LSTM state. */
  readonly hiddenSize: number;
  private readonly offsets: number[];
  private readonly rng: Generator;

  /** Creates a controller for `space`, its weights and sampling seeded by `opts.seed`. Throws ValueError for an empty space. */
  constructor(space: NasSpace, opts: NasControllerOptions = {}) {
    super();
    checkSpace('NasController', space);
    const hidden = opts.hiddenSize ?? 32;
    if (!Number.isInteger(hidden) || hidden < 1) throw new ValueError(`NasController: hiddenSize must be a positive integer, got ${hidden}`);
    this.space = space;
    this.hiddenSize = hidden;
    this.offsets = [];
    let total = 0;
    for (const d of space.decisions) {
      this.offsets.push(total);
      total += d.choices.length;
    }
    this.embedding = new Embedding(1 + total, hidden);
    this.cell = new LSTMCell(hidden, hidden);
    this.heads = new ModuleList(space.decisions.map((d) => new Linear(hidden, d.choices.length)));
    this.rng = new Generator(opts.seed ?? 0);
    for (const p of this.parameters()) uniform_(p, -0.1, 0.1, { generator: this.rng });
  }

  /**
   * Runs the controller over the decisions. With `forced`, scores that encoding (teacher forcing); otherwise
   * draws each choice from its softmax with the controller's own seeded generator.
   */
  private run(forced: Encoding | null): ControllerSample {
    const heads = this.heads.children() as Linear[];
    let state: [Tensor, Tensor] | null = null;
    let token = 0;
    const encoding: number[] = [];
    let logProb: Tensor | null = null;
    let entropy: Tensor | null = null;
    for (let t = 0; t < heads.length; t++) {
      const x = this.embedding.forward(tensor(Int32Array.of(token)));
      state = this.cell.forward(x, state);
      const logp = heads[t].forward(state[0]).logSoftmax(1); // [1, n_t]
      const probs = Array.from(noGrad(() => logp.exp()).toTypedArray() as Float32Array);
      const choice = forced ? forced[t] : this.draw(probs);
      encoding.push(choice);
      const lp = logp.narrow(1, choice, 1).sum();
      const ent = logp.exp().mul(logp).sum().neg();
      logProb = logProb ? logProb.add(lp) : lp;
      entropy = entropy ? entropy.add(ent) : ent;
      token = 1 + this.offsets[t] + choice;
    }
    return { encoding, logProb: logProb as Tensor, entropy: entropy as Tensor };
  }

  private draw(probs: number[]): number {
    let u = this.rng.random();
    for (let i = 0; i < probs.length - 1; i++) {
      u -= probs[i];
      if (u < 0) return i;
    }
    return probs.length - 1;
  }

  /** Draws one architecture; the same seed and the same updates give the same sequence of architectures. */
  sample(): ControllerSample {
    return this.run(null);
  }

  /** log p(encoding) (a differentiable scalar []) and the entropies along it. Throws ValueError for an invalid encoding. */
  score(encoding: Encoding): ControllerSample {
    checkEncoding('NasController.score', this.space, encoding);
    return this.run(encoding);
  }

  /** The probabilities [n_0] of the first decision's choices (the others depend on the choices before them). */
  firstDecisionProbs(): number[] {
    return noGrad(() => {
      const heads = this.heads.children() as Linear[];
      const [h] = this.cell.forward(this.embedding.forward(tensor(Int32Array.of(0))));
      return Array.from(heads[0].forward(h).softmax(1).toTypedArray() as Float32Array);
    });
  }
}

/** Options of `Reinforce`. */
export interface ReinforceOptions {
  /** Adam's learning rate for the controller (default 0.01). */
  lr?: number;
  /** Decay of the moving-average baseline: b <- decay * b + (1 - decay) * R (default 0.9). */
  baselineDecay?: number;
  /** Weight of the entropy bonus added to the objective, which keeps the controller exploring (default 0). */
  entropyWeight?: number;
}

/** What one REINFORCE update did. */
export interface ReinforceStep {
  /** The reward of the sampled architecture. */
  reward: number;
  /** The baseline before this reward was folded in (the first reward starts it). */
  baseline: number;
  /** reward - baseline: the weight on the sample's log-probability. */
  advantage: number;
  /** log p(architecture) before the update. */
  logProb: number;
}

/**
 * REINFORCE with a moving-average baseline for a `NasController`: `step(sample, reward)` takes one Adam step on
 * -(R - b) * log p(sample) - entropyWeight * H(sample), then updates b.
 */
export class Reinforce {
  /** The controller's optimizer. */
  readonly optimizer: Adam;
  /** Current value of the baseline (null until the first reward). */
  baseline: number | null = null;
  private readonly decay: number;
  private readonly entropyWeight: number;

  /** Trains `controller`; throws ValueError for an out-of-range option. */
  constructor(readonly controller: NasController, opts: ReinforceOptions = {}) {
    const lr = opts.lr ?? 0.01;
    if (!(lr > 0)) throw new ValueError(`Reinforce: lr must be positive, got ${lr}`);
    this.decay = opts.baselineDecay ?? 0.9;
    if (!(this.decay >= 0 && this.decay < 1)) throw new ValueError(`Reinforce: baselineDecay must be in [0, 1), got ${this.decay}`);
    this.entropyWeight = opts.entropyWeight ?? 0;
    if (!(this.entropyWeight >= 0)) throw new ValueError(`Reinforce: entropyWeight must be >= 0, got ${this.entropyWeight}`);
    this.optimizer = new Adam(controller.parameters(), { lr });
  }

  /** One policy-gradient update from `sample` (drawn by the controller) and its reward. */
  step(sample: ControllerSample, reward: number): ReinforceStep {
    if (!Number.isFinite(reward)) throw new ValueError(`Reinforce.step: reward must be a finite number, got ${reward}`);
    const baseline = this.baseline ?? reward;
    const advantage = reward - baseline;
    const logProb = sample.logProb.item();
    const loss = sample.logProb.mul(-advantage).sub(sample.entropy.mul(this.entropyWeight));
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.baseline = this.decay * baseline + (1 - this.decay) * reward;
    return { reward, baseline, advantage, logProb };
  }
}
