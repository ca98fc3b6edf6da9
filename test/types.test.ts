/**
 * The shipped type declarations work for a user: a small consumer project is compiled with the compiler's default
 * checks (skipLibCheck off, strict on) against the files `npm pack` would publish, with the package's dependencies
 * beside it. A declaration that names a type it does not import fails here as it would in the user's `tsc`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'shendu-consumer-'));
after(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `
import { tensor, zeros, nn, F, optim, type Tensor } from 'shendu';
import { mnist, loadImage } from 'shendu/node';
const x: Tensor = tensor([1, 2, 3]).mul(2).relu().exp().sum();
const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const loss = F.crossEntropy(model.forward(zeros([5, 3])), zeros([5], { dtype: 'int32' }));
loss.backward({ retainGraph: true });
opt.step();
const n: number = x.item() + loss.item();
export { n, mnist, loadImage };
`;

test('a consumer project compiles against the packed package with default compiler options', () => {
  const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files: string[] = pack[0].files.map((f: { path: string }) => f.path);
  assert.ok(files.includes('dist/src/index.d.ts'), 'the package ships its declarations');
  const pkgDir = join(work, 'node_modules', 'shendu');
  for (const f of files) {
    mkdirSync(dirname(join(pkgDir, f)), { recursive: true });
    cpSync(join(root, f), join(pkgDir, f));
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), '@types/node']) {
    const at = join(work, 'node_modules', dep);
    mkdirSync(dirname(at), { recursive: true });
    if (!existsSync(at)) symlinkSync(join(root, 'node_modules', dep), at, 'dir');
  }
  writeFileSync(join(work, 'index.ts'), CONSUMER);
  const program = ts.createProgram([join(work, 'index.ts')], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    strict: true, noEmit: true, types: ['node'], typeRoots: [join(work, 'node_modules', '@types')],
  });
  const diags = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(work.length + 1)}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : '';
    return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(diags, [], diags.slice(0, 10).join('\n'));
});
