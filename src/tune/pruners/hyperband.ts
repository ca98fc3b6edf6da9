/**
 * Hyperband (Optuna's HyperbandPruner): several ASHA brackets with growing minimum early-stopping rates; each trial
 * belongs to one bracket (crc32 of "studyName_number", weighted by the bracket's trial budget, as Optuna) and
 * competes only with the trials of its bracket.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { StudyView } from '../samplers/base.js';
import { lastStep, type FrozenTrial, type TrialState } from '../storage.js';
import type { Pruner } from './base.js';
import { SuccessiveHalvingPruner } from './successive-halving.js';

/** Options of `HyperbandPruner` (Optuna's defaults). */
export interface HyperbandOptions {
  /** Steps of the first rung of the most aggressive bracket (default 1). */
  minResource?: number;
  /** Steps of a full trial, or 'auto': last step + 1 of the longest complete trial (default 'auto'). */
  maxResource?: number | 'auto';
  /** Keep the top 1/reductionFactor at each rung (default 3). */
  reductionFactor?: number;
  /** Values needed at a rung before anyone is promoted (default 0; needs a numeric maxResource). */
  bootstrapCount?: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** UTF-8 bytes of s (the browser-safe core has no TextEncoder in its lib). */
function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** CRC-32 (zlib's, as Python's binascii.crc32) of the UTF-8 bytes of s. */
export function crc32(s: string): number {
  let c = 0xffffffff;
  for (const b of utf8(s)) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Hyperband over ASHA brackets, with Optuna's bracket sizes and trial-to-bracket assignment. */
export class HyperbandPruner implements Pruner {
  private readonly minResource: number;
  private maxResource: number | 'auto';
  private readonly eta: number;
  private readonly bootstrap: number;
  private pruners: SuccessiveHalvingPruner[] = [];
  private budgets: number[] = [];
  private total = 0;

  /** Creates the pruner; see `HyperbandOptions`. */
  constructor(opts: HyperbandOptions = {}) {
    this.minResource = opts.minResource ?? 1;
    this.maxResource = opts.maxResource ?? 'auto';
    this.eta = opts.reductionFactor ?? 3;
    this.bootstrap = opts.bootstrapCount ?? 0;
    if (!Number.isSafeInteger(this.minResource) || this.minResource < 1) throw new ValueError(`HyperbandPruner: minResource must be an integer >= 1, got ${this.minResource}`);
    const mr = this.maxResource;
    if (mr !== 'auto' && (!Number.isSafeInteger(mr) || mr < this.minResource)) throw new ValueError(`HyperbandPruner: maxResource must be an integer >= minResource or 'auto', got ${mr}`);
    if (!Number.isSafeInteger(this.eta) || this.eta < 2) throw new ValueError(`HyperbandPruner: reductionFactor must be an integer >= 2, got ${this.eta}`);
    if (this.bootstrap > 0 && mr === 'auto') throw new ValueError(`HyperbandPruner: bootstrapCount > 0 needs a numeric maxResource, got 'auto'`);
  }

  /** Number of brackets, once known (0 before the first complete trial when maxResource is 'auto'). */
  get nBrackets(): number {
    return this.pruners.length;
  }

  private init(study: StudyView): void {
    if (this.maxResource === 'auto') {
      const steps = study.getTrials(['complete']).map(lastStep).filter((s): s is number => s !== null);
      if (steps.length === 0) return;
      this.maxResource = Math.max(...steps) + 1;
    }
    const n = Math.floor(Math.log(this.maxResource / this.minResource) / Math.log(this.eta)) + 1;
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      const budget = Math.ceil((n * this.eta ** s) / (s + 1));
      this.budgets.push(budget);
      this.total += budget;
      this.pruners.push(new SuccessiveHalvingPruner({ minResource: this.minResource, reductionFactor: this.eta, minEarlyStoppingRate: b, bootstrapCount: this.bootstrap }, 'HyperbandPruner'));
    }
  }

  /** The bracket of trial number `number` in study `studyName`. */
  bracketOf(studyName: string, number: number): number {
    if (this.pruners.length === 0) return 0;
    let n = crc32(`${studyName}_${number}`) % this.total;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b];
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  /** Runs the ASHA rule of the trial's bracket, against that bracket's trials only. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (this.pruners.length === 0) {
      this.init(study);
      if (this.pruners.length === 0) return false;
    }
    const b = this.bracketOf(study.studyName, trial.number);
    const bracketStudy: StudyView = {
      studyName: study.studyName,
      direction: study.direction,
      getTrials: (states?: readonly TrialState[]) => study.getTrials(states).filter((t) => this.bracketOf(study.studyName, t.number) === b),
      setTrialSystemAttr: (id, key, value) => study.setTrialSystemAttr(id, key, value),
      stop: () => study.stop(),
    };
    return this.pruners[b].prune(bracketStudy, trial);
  }
}
