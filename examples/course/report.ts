/**
 * The course report as HTML: one `<section>` per claim with its sentence, chapter, figures, measured numbers,
 * verdict and the command that made it. A pure function of the results, so that it can be tested without running
 * anything.
 * @module
 */
import type { ExperimentResult } from './experiment.js';

/** One experiment's record as `runExperiment` writes it. */
export interface ReportEntry extends ExperimentResult {
  name: string;
  chapter: string;
  claim: string;
  quick: boolean;
  seconds: number;
}

/** `s` with the five HTML-special characters escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The command that reproduces one experiment's figures into `outDir`. */
export function commandFor(entry: Pick<ReportEntry, 'name' | 'quick'>, outDir: string): string {
  return `node dist/examples/course/${entry.name}.js${entry.quick ? ' --quick' : ''} --out ${outDir}`;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (Array.isArray(v)) {
    const shown = v.slice(0, 12).map(formatValue).join(', ');
    return v.length > 12 ? `[${shown}, … (${v.length} values)]` : `[${shown}]`;
  }
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join('; ');
  return String(v);
}

function section(e: ReportEntry, outDir: string): string {
  const cmd = commandFor(e, outDir);
  const figures = e.figures.map((f) =>
    `<figure><a href="${escapeHtml(encodeURI(f.file))}"><img src="${escapeHtml(encodeURI(f.file))}" alt="${escapeHtml(f.caption)}"></a>` +
    `<figcaption>${escapeHtml(f.caption)} <code>${escapeHtml(cmd)}</code></figcaption></figure>`).join('\n');
  const rows = Object.entries(e.numbers).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v))}</td></tr>`).join('\n');
  return `<section id="${escapeHtml(e.name)}">
<h2>${escapeHtml(e.claim)}</h2>
<p class="chapter">Chapter ${escapeHtml(e.chapter)} · <code>${escapeHtml(e.name)}</code> · ${e.quick ? 'quick mode' : 'full mode'}, ${e.seconds.toFixed(1)} s</p>
<p class="verdict ${e.holds ? 'holds' : 'fails'}">${e.holds ? 'The claim holds' : 'The claim does NOT hold'}: ${escapeHtml(e.finding)}</p>
${figures}
<table>
${rows}
</table>
<p>Made by <code>${escapeHtml(cmd)}</code></p>
</section>`;
}

/** The whole report page for `entries` (figures referenced relative to the page, which lies in `outDir`). */
export function renderReport(entries: readonly ReportEntry[], opts: { outDir?: string } = {}): string {
  const outDir = opts.outDir ?? 'course-report';
  const held = entries.filter((e) => e.holds).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The course's claims, measured</title>
<style>
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
section { border-top: 1px solid #ccc; padding: 1rem 0; }
img { max-width: 100%; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; vertical-align: top; }
.holds { color: #1a7f37; } .fails { color: #b42318; }
code { background: #f4f4f4; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>The course's claims, measured</h1>
<p>${held} of ${entries.length} claims hold. Each section names the command that reproduces it.</p>
${entries.map((e) => section(e, outDir)).join('\n')}
</body>
</html>
`;
}
