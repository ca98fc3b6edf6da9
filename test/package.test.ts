/**
 * Whole-package properties: the library core imports nothing from Node (so it bundles for browsers), and
 * every exported symbol carries a TSDoc comment (DESIGN.md convention 8).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const srcDir = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// The browser-safe core is everything but src/node (file system, datasets on disk, PNG rasterizing) and
// src/cli (the `shendu` command), which are reached through the 'shendu/node' entry point, and src/serve (the HTTP server).
const nodeOnly = /^(node|cli|serve)\//;

test('the core (src outside node/, cli/ and serve/) imports no Node.js module and uses no Node globals', () => {
  for (const file of sourceFiles(srcDir).filter((f) => !nodeOnly.test(f.slice(srcDir.length)))) {
    // comments may mention Node (e.g. how to wire a sink to process.stdout); only code counts
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(text, /from ['"]node:|from ['"](fs|path|os|child_process|worker_threads|@resvg\/resvg-js)['"]|require\(/, `${file} imports Node.js`);
    assert.doesNotMatch(text, /\bprocess\.|\bBuffer\./, `${file} uses a Node.js global`);
  }
});

function hasDoc(node: ts.Node, sf: ts.SourceFile): boolean {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  return ranges.some((r) => sf.text.slice(r.pos, r.pos + 3) === '/**');
}

function isExported(node: ts.Node): boolean {
  return (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

test('every exported symbol in src has a TSDoc comment', () => {
  const missing: string[] = [];
  let checked = 0;
  for (const file of sourceFiles(srcDir)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const rel = file.slice(srcDir.length);
    for (const st of sf.statements) {
      if (!isExported(st)) continue;
      let name = '';
      if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        name = st.name?.text ?? '';
      } else if (ts.isVariableStatement(st)) {
        name = st.declarationList.declarations.map((d) => d.name.getText(sf)).join(', ');
      } else {
        continue;
      }
      // an overload set needs the comment on its first signature only
      if (ts.isFunctionDeclaration(st)) {
        const prev = sf.statements[sf.statements.indexOf(st) - 1];
        if (prev && ts.isFunctionDeclaration(prev) && prev.name?.text === name) continue;
      }
      checked++;
      if (!hasDoc(st, sf)) missing.push(`${rel}: ${name}`);
      if (ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) {
        for (const m of st.members) {
          const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
          if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) continue;
          const mname = m.name?.getText(sf) ?? '';
          if (!mname || mname.startsWith('_') || mname.startsWith('#')) continue;
          if (ts.isSetAccessor(m)) continue;
          const members: readonly ts.Node[] = st.members;
          const prevMember = members[members.indexOf(m) - 1] as ts.ClassElement | undefined;
          if (prevMember && prevMember.name?.getText(sf) === mname) continue;
          if (!hasDoc(m, sf)) missing.push(`${rel}: ${name}.${mname}`);
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} exported symbols found: is the scan broken?`);
  assert.deepEqual(missing, [], `exported symbols without TSDoc:\n${missing.join('\n')}`);
});

test('docs/ARCHITECTURE.md names every module of src/, and what it calls planned does not exist yet', () => {
  const map = readFileSync(new URL('../../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
  const root = new URL('../../', import.meta.url).pathname;
  for (const d of readdirSync(srcDir).filter((n) => statSync(join(srcDir, n)).isDirectory())) {
    assert.ok(map.includes(`src/${d}`), `docs/ARCHITECTURE.md mentions src/${d}`);
  }
  for (const m of map.matchAll(/`([^`]+)`[^|`]*\(planned\)/g)) {
    assert.ok(!statSync(join(root, m[1]), { throwIfNoEntry: false }), `${m[1]} exists now: drop its "(planned)" in docs/ARCHITECTURE.md`);
  }
});
