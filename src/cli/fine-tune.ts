/**
 * `shendu train`'s fine-tuning options: `--init RUN` (load the weights of another run that fit by name and shape),
 * `--freeze PREFIXES` (parameters left fixed) and `--replace-head` (a fresh classifier), applied to a new model
 * before its optimizer is made.
 * @module
 */
import { replaceHead } from '../models/head.js';
import type { Layer } from '../nn/module.js';
import { freeze, loadMatching } from '../nn/fine-tune.js';
import type { ModelName } from '../models/registry.js';
import { UsageError } from './args.js';
import { openRun } from '../node/recipe.js';

/**
 * Applies --init, --freeze and --replace-head (in that order, so the new head trains) to `model` and returns
 * one line saying what was loaded, replaced and frozen, or null when none was given.
 */
export function fineTune(model: Layer, modelName: string, numClasses: number, o: Record<string, unknown>): string | null {
  const init = o.init as string | undefined;
  const prefixes = (o.freeze as string | undefined)?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (o['replace-head'] && init === undefined) throw new UsageError('shendu train: --replace-head replaces the head of weights loaded with --init; give --init RUN too');
  if (o.freeze !== undefined && !prefixes?.length) throw new UsageError(`shendu train: --freeze needs comma-separated parameter name prefixes, got '${String(o.freeze)}'`);
  if (init === undefined && prefixes === undefined) return null;
  const parts: string[] = [];
  if (init !== undefined) {
    const { model: source, info } = openRun('train --init', init);
    const r = loadMatching(model, source.stateDict());
    const skipped = [...r.misShaped.map((m) => `${m.key} (shape [${m.got.join(', ')}], the model's [${m.expected.join(', ')}])`), ...r.missingKeys.map((k) => `${k} (not in ${info.model})`)];
    parts.push(`initialized from ${init} (${info.model} on ${info.dataset}): ${r.loaded.length} weights loaded${skipped.length ? `, kept fresh: ${skipped.join(', ')}` : ''}`);
  }
  let frozen: string[] = [];
  if (prefixes) frozen = freeze(model, prefixes);
  // replaced after freezing, so the fresh head trains even under a prefix that covers the old one
  if (o['replace-head']) parts.push(`new head: ${replaceHead(model, numClasses, { model: modelName as ModelName }).join(', ')}`);
  if (prefixes) {
    const trainable = model.parameters().filter((p) => p.requiresGrad).length;
    parts.push(`frozen: ${frozen.length} parameter tensors under ${prefixes.join(', ')} (${trainable} trainable)`);
  }
  return parts.join('; ');
}
