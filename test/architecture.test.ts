/**
 * The one rule of direction (DESIGN.md): a file of src/ imports only from its own level or below —
 * backend <- tensor/autograd <- ops/linalg <- nn/jit <- optim/data <- train <- models, classic, vision, text, tune,
 * io, viz <- serve, cli, web, node and the public index. Two shared pieces may be imported from any level above
 * tensor: the byte-level safetensors codec (io/safetensors.ts) and the platform shims (train/platform.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';

const SRC = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..', 'src'));

const LEVEL: Record<string, number> = {
  'errors.ts': 0, backend: 1, tensor: 2, autograd: 2, ops: 3, linalg: 3, nn: 4, jit: 4, optim: 5, data: 5, train: 6,
  models: 7, classic: 7, vision: 7, text: 7, tune: 7, io: 7, viz: 7, serve: 8, cli: 8, web: 8, node: 8, 'index.ts': 8,
};
const ANYWHERE_ABOVE_TENSOR = new Set(['io/safetensors.ts', 'train/platform.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every import in src/ points to the same level or below', () => {
  const wrong: string[] = [];
  const files = tsFiles(SRC);
  assert.ok(files.length > 100, `found ${files.length} source files under ${SRC}`);
  for (const file of files) {
    const from = relative(SRC, file);
    const fromLevel = LEVEL[from.split('/')[0]];
    assert.ok(fromLevel !== undefined, `${from}: src/${from.split('/')[0]} has no level in this test (add it as DESIGN.md places it)`);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = relative(SRC, normalize(join(dirname(file), m[1]))).replace(/\.js$/, '.ts');
      const toLevel = LEVEL[to.split('/')[0]];
      if (toLevel === undefined) continue;
      if (ANYWHERE_ABOVE_TENSOR.has(to) && fromLevel >= LEVEL.tensor) continue;
      if (toLevel > fromLevel) wrong.push(`${from} (level ${fromLevel}) imports ${to} (level ${toLevel})`);
    }
  }
  assert.deepEqual(wrong, [], `imports against the direction:\n${wrong.join('\n')}`);
});
