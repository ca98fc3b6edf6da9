import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runExperiment } from '../../examples/course/experiment.js';
import { EXPERIMENTS } from '../../examples/course/registry.js';
import { escapeHtml, renderReport, type ReportEntry } from '../../examples/course/report.js';
import { runCourse } from '../../examples/course/run.js';
import { ValueError } from '../../src/index.js';

// Each experiment's quick mode checks the direction of its claim on real data; the report is then built from those
// very results, so a claim and its figure are checked together.
describe('course experiments (quick mode)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shendu-course-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const entries: ReportEntry[] = [];

  for (const exp of EXPERIMENTS) {
    it(`${exp.name}: ${exp.claim}`, async () => {
      const r = await runExperiment(exp, { quick: true, outDir: dir });
      assert.equal(r.holds, true, r.finding);
      assert.ok(r.figures.length > 0);
      for (const f of r.figures) {
        assert.match(f.file, /\.png$/);
        const png = readFileSync(join(dir, f.file));
        assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${f.file} is a PNG`);
      }
      const record = JSON.parse(readFileSync(join(dir, `${exp.name}.json`), 'utf8'));
      assert.equal(record.name, exp.name);
      assert.equal(record.holds, true);
      entries.push({ name: exp.name, chapter: exp.chapter, claim: exp.claim, quick: true, ...r });
    });
  }

  it('the report has one section per claim, with its figures and command', () => {
    assert.equal(entries.length, EXPERIMENTS.length);
    const html = renderReport(entries);
    assert.equal(html.match(/<section /g)?.length, entries.length);
    for (const e of entries) {
      const start = html.indexOf(`<section id="${e.name}">`);
      assert.ok(start >= 0, e.name);
      const body = html.slice(start, html.indexOf('</section>', start));
      assert.ok(body.includes(escapeHtml(e.claim)));
      for (const f of e.figures) assert.ok(body.includes(`<img src="${f.file}"`), `${e.name}: ${f.file}`);
      assert.ok(body.includes(`node dist/examples/course/${e.name}.js --quick`));
    }
  });
});

describe('course report', () => {
  const entry: ReportEntry = {
    name: 'x<y', chapter: '1 & 2', claim: 'a "b" <c>', quick: false, seconds: 1.5, holds: false, finding: "it's <bad>",
    numbers: { acc: 0.5, curve: [1, 2, 3], per: { a: 1 } }, figures: [{ file: 'x<y>.png', caption: '<cap>' }],
  };
  it('escapes everything it prints', () => {
    const html = renderReport([entry]);
    assert.ok(!html.includes('<c>') && !html.includes('<bad>') && !html.includes('<cap>'));
    assert.ok(html.includes('a &quot;b&quot; &lt;c&gt;'));
    assert.ok(html.includes('it&#39;s &lt;bad&gt;'));
    assert.ok(html.includes('does NOT hold'));
    assert.ok(html.includes('node dist/examples/course/x&lt;y.js --out course-report'));
  });
  it('escapeHtml escapes the five special characters', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('runCourse rejects an unknown experiment name', async () => {
    await assert.rejects(runCourse({ quick: true, outDir: tmpdir(), names: ['no-such-claim'] }),
      (e: unknown) => e instanceof ValueError && /runCourse: names must be experiments .* got no-such-claim/.test((e as Error).message));
  });
});
