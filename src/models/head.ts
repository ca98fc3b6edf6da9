/**
 * Replacing the classification head of a zoo model for another number of classes (fine-tuning, chapter 3.7):
 * the head is found from the zoo entry's `head` metadata and swapped for a freshly initialized Linear with the
 * same input features, as `model.fc = nn.Linear(model.fc.in_features, n)` does in PyTorch.
 * @module
 */
import { ValueError } from '../errors.js';
import { ModuleDict, Sequential } from '../nn/containers.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { modelEntry, type ModelName } from './registry.js';
import { ImageClassifier } from './vision/common.js';

/** Options of `replaceHead`. */
export interface ReplaceHeadOptions {
  /** The head's dotted module path (default: from the zoo entry's metadata). */
  head?: string;
  /** The zoo name whose metadata names the head (default: the model's own; a plain Sequential's head is its last layer). */
  model?: ModelName;
}

/** The module at a dotted path: its parent, its name there and itself (null where the path meets a null property). */
function resolve(model: Module, path: string): { parent: Module; key: string; child: unknown; full: string } {
  const segments = path.split('.');
  let m = model;
  const done: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const kids = m.namedChildren();
    let key = seg;
    if (/^-\d+$/.test(seg)) {
      const at = kids.length + Number(seg);
      if (at < 0) throw new ValueError(`replaceHead: head '${path}': ${done.join('.') || 'the model'} has ${kids.length} children, so ${seg} is out of range`);
      key = kids[at][0];
    }
    const value = (m as unknown as Record<string, unknown>)[key];
    const here = Object.hasOwn(m, key);
    // a null property is a module the model was built without (GoogLeNet's aux1 with auxLogits false)
    if (here && (value === null || (value instanceof Module && i === segments.length - 1))) return { parent: m, key, child: value, full: [...done, key].join('.') };
    if (!(value instanceof Module) || !here) {
      throw new ValueError(`replaceHead: head '${path}': ${done.join('.') || 'the model'} has no module '${seg}'; its children are ${kids.map(([n]) => n).join(', ') || 'none'}`);
    }
    done.push(key);
    m = value;
  }
  throw new ValueError(`replaceHead: head must be a non-empty dotted module path, got '${path}'`);
}

/** The head path and auxiliary heads of `model` per the options or the zoo metadata. */
function headPaths(model: Module, opts: ReplaceHeadOptions): { head: string; aux: readonly string[] } {
  if (opts.head !== undefined) {
    if (typeof opts.head !== 'string' || opts.head === '') throw new ValueError(`replaceHead: option head must be a non-empty dotted module path, got ${JSON.stringify(opts.head)}`);
    return { head: opts.head, aux: [] };
  }
  const name = opts.model ?? (model instanceof ImageClassifier ? model.modelName : null);
  if (name !== null) {
    const entry = modelEntry(name);
    if (entry.head === undefined) throw new ValueError(`replaceHead: the zoo model '${name}' has no classifier head to replace`);
    return { head: entry.head, aux: entry.auxHeads ?? [] };
  }
  if (model instanceof Sequential) return { head: '-1', aux: [] };
  throw new ValueError(`replaceHead: cannot tell where the head of a ${model.constructor.name} is; pass {head: 'path.to.linear'} or {model: '<zoo name>'}`);
}

/**
 * Replaces the final classifier of `model` (a zoo model, or any model given `opts.head`) by a freshly
 * initialized `Linear(inFeatures, numClasses)` (with a bias if the old one had one), and GoogLeNet's auxiliary
 * classifiers likewise. The new layers train even if the model was frozen. Returns the replaced modules' paths,
 * the head first (e.g. ['fc'], ['11'] for LeNet-5) — the prefixes to give `unfreeze` or `paramGroupsByPrefix`.
 */
export function replaceHead(model: Module, numClasses: number, opts: ReplaceHeadOptions = {}): string[] {
  if (!(model instanceof Module)) throw new ValueError(`replaceHead: model must be a Module, got ${model === null ? 'null' : typeof model}`);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`replaceHead: numClasses must be a positive integer, got ${String(numClasses)}`);
  if (opts === null || typeof opts !== 'object') throw new ValueError('replaceHead: options must be an object {head?, model?}');
  const { head, aux } = headPaths(model, opts);
  const targets = [{ path: head, ...resolve(model, head) }, ...aux.map((path) => ({ path, ...resolve(model, path) }))];
  const replaced: string[] = [];
  for (const { path, parent, key, child, full } of targets) {
    if (child === null && path !== head) continue; // an auxiliary classifier the model was built without
    if (!(child instanceof Linear)) {
      const what = child instanceof Module ? `a ${child.constructor.name}` : 'null';
      throw new ValueError(`replaceHead: the head '${full}' must be a Linear, got ${what}`);
    }
    const fresh = new Linear(child.inFeatures, numClasses, { bias: child.bias !== null, dtype: child.weight.dtype });
    if (parent instanceof ModuleDict) parent.set(key, fresh);
    else (parent as unknown as Record<string, unknown>)[key] = fresh;
    replaced.push(full);
  }
  // the input check and summaries read numClasses
  if (model instanceof ImageClassifier) (model as { numClasses: number }).numClasses = numClasses;
  return replaced;
}
