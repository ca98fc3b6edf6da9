/**
 * Issue 17's side by side with Optuna: shendu's random search, TPE and GP-EI on Branin, Hartmann-6 and the 5-D
 * Rosenbrock (the same definitions and ranges as bench/optuna_compare.py), 20 seeds, 100 trials; the best value after
 * 50 and 100 trials, summarized by median and quartiles, next to Optuna 3.1's random search and TPE read from
 * bench/results/tune-optuna.json (run bench/optuna_compare.py first; without it the Optuna columns are left out).
 * Optuna 3.1 has no GP sampler built in, so shendu's GP is compared with random search of both libraries and with
 * the TPEs. Also records the sampler cost per trial (ms, the objectives cost nothing) early and late in a run.
 *
 *   node dist/bench/tune-compare.js [--seeds 20] [--trials 100] [--samplers random,tpe,gp] [--problems branin,...]
 *     [--optuna FILE] [--out FILE]
 *
 * Seeds are 0..N-1 on both sides; running more than the claim's 20 (with bench/optuna_compare.py --seeds N on
 * Optuna's side) measures how much of a gap between the two TPEs is the seeds' noise.
 *
 * Writes bench/results/tune-compare.json.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as tune from '../src/tune/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  seeds: { type: 'string', default: '20' }, trials: { type: 'string', default: '100' },
  samplers: { type: 'string', default: 'random,tpe,gp' }, out: { type: 'string', default: 'bench/results/tune-compare.json' },
  optuna: { type: 'string', default: 'bench/results/tune-optuna.json' },
  problems: { type: 'string', default: 'branin,hartmann6,rosenbrock5' },
});
const SEEDS = Number(a.seeds);
const N = Number(a.trials);
const CHECKPOINTS = [50, 100].filter((c) => c <= N);
const SAMPLERS = (a.samplers as string).split(',');

const HA = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const HP = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]];
const HALPHA = [1.0, 1.2, 3.0, 3.2];

const ALL_PROBLEMS: Record<string, { objective: tune.Objective; optimum: number }> = {
  branin: {
    optimum: 0.397887,
    objective: (t) => {
      const x1 = t.suggestFloat('x1', -5, 10);
      const x2 = t.suggestFloat('x2', 0, 15);
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    },
  },
  hartmann6: {
    optimum: -3.32237,
    objective: (t) => {
      const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
      return -HALPHA.reduce((s, al, i) => s + al * Math.exp(-x.reduce((q, xj, j) => q + HA[i][j] * (xj - HP[i][j]) ** 2, 0)), 0);
    },
  },
  rosenbrock5: {
    optimum: 0,
    objective: (t) => {
      const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, -2.048, 2.048));
      let s = 0;
      for (let i = 0; i < 4; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return s;
    },
  },
};

const PROBLEMS = Object.fromEntries((a.problems as string).split(',').map((p) => {
  if (!(p in ALL_PROBLEMS)) throw new Error(`unknown problem ${p}; valid: ${Object.keys(ALL_PROBLEMS).join(', ')}`);
  return [p, ALL_PROBLEMS[p]];
}));

function makeSampler(name: string, seed: number): tune.Sampler {
  if (name === 'random') return new tune.RandomSampler({ seed });
  if (name === 'tpe') return new tune.TPESampler({ seed });
  if (name === 'gp') return new tune.GPSampler({ seed });
  throw new Error(`unknown sampler ${name}`);
}

/** Median and quartiles (numpy's linear interpolation). */
function summary(xs: number[]): { median: number; q1: number; q3: number } {
  const s = xs.slice().sort((p, q) => p - q);
  const at = (f: number): number => {
    const pos = f * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  };
  return { median: at(0.5), q1: at(0.25), q3: at(0.75) };
}

type Column = { runs: Record<string, number>[]; wallSeconds?: number; cpuSeconds?: number; msPerTrial?: Record<string, number>; command?: string };
// Columns not rerun now (e.g. --samplers tpe after a TPE change) are kept from the previous result file.
const previous = existsSync(a.out as string) ? JSON.parse(readFileSync(a.out as string, 'utf8')) : null;
const shendu: Record<string, Record<string, Column>> = {};
const command = `node dist/bench/tune-compare.js --seeds ${SEEDS} --trials ${N} --samplers ${SAMPLERS.join(',')} --problems ${Object.keys(PROBLEMS).join(',')}`;
for (const [pname, prob] of Object.entries(PROBLEMS)) {
  shendu[pname] = {};
  for (const [s, col] of Object.entries((previous?.shendu?.[pname] ?? {}) as Record<string, Column>)) {
    if (!SAMPLERS.includes(s) && previous.seeds === SEEDS && previous.nTrials === N) shendu[pname][s] = { command: previous.command, ...col };
  }
  for (const sname of SAMPLERS) {
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const runs: Record<string, number>[] = [];
    const early: number[] = [];
    const late: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const study = tune.createStudy({ sampler: makeSampler(sname, seed), pruner: 'none' });
      let last = Date.now();
      await study.optimize(prob.objective, { nTrials: N, callbacks: [(_s, tr) => {
        const now = Date.now();
        if (tr.number >= 10 && tr.number < 50) early.push(now - last);
        else if (tr.number >= 50) late.push(now - last);
        last = now;
      }] });
      const vals = study.trials.map((t) => t.value as number);
      runs.push(Object.fromEntries(CHECKPOINTS.map((c) => [String(c), Math.min(...vals.slice(0, c))])));
    }
    const cpu = process.cpuUsage(cpu0);
    const mean = (xs: number[]): number => Math.round((xs.reduce((p, q) => p + q, 0) / Math.max(xs.length, 1)) * 100) / 100;
    shendu[pname][sname] = {
      runs, wallSeconds: (Date.now() - t0) / 1000, cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
      msPerTrial: { 'trials 11-50': mean(early), 'trials 51-100': mean(late) }, command,
    };
    console.log(`${pname} ${sname}: ${(Date.now() - t0) / 1000} s, median best@${N} ${summary(runs.map((r) => r[String(N)])).median.toPrecision(5)}`);
  }
}

const optuna = existsSync(a.optuna as string) ? JSON.parse(readFileSync(a.optuna as string, 'utf8')) : null;
if (optuna === null) console.log(`no ${a.optuna}: Optuna columns left out (run /usr/bin/python3 bench/optuna_compare.py)`);
const table: Record<string, Record<string, Record<string, ReturnType<typeof summary>>>> = {};
const checks: { what: string; holds: boolean; detail: string }[] = [];
for (const pname of Object.keys(PROBLEMS)) {
  table[pname] = {};
  const columns: Record<string, Column> = {};
  for (const s of Object.keys(shendu[pname])) columns[`shendu ${s}`] = shendu[pname][s];
  for (const s of ['random', 'tpe']) if (optuna?.problems?.[pname]?.[s]) columns[`optuna ${s}`] = optuna.problems[pname][s];
  for (const [col, c] of Object.entries(columns)) {
    table[pname][col] = Object.fromEntries(CHECKPOINTS.map((n) => [String(n), summary(c.runs.map((r) => r[String(n)]))]));
  }
  for (const n of CHECKPOINTS.map(String)) {
    const ot = table[pname]['optuna tpe']?.[n];
    const st = table[pname]['shendu tpe']?.[n];
    if (ot && st) {
      checks.push({ what: `${pname} @${n}: shendu TPE median within Optuna TPE's quartiles`, holds: st.median >= ot.q1 && st.median <= ot.q3,
        detail: `${st.median.toPrecision(4)} in [${ot.q1.toPrecision(4)}, ${ot.q3.toPrecision(4)}]` });
    }
    const gp = table[pname]['shendu gp']?.[n];
    for (const r of ['shendu random', 'optuna random']) {
      const rr = table[pname][r]?.[n];
      if (gp && rr) checks.push({ what: `${pname} @${n}: GP median better than ${r}`, holds: gp.median < rr.median, detail: `${gp.median.toPrecision(4)} vs ${rr.median.toPrecision(4)}` });
    }
  }
}
for (const c of checks) console.log(`${c.holds ? 'yes' : 'NO '} ${c.what}: ${c.detail}`);
writeFileSync(a.out as string, JSON.stringify({
  command,
  note: 'best objective value after n trials (minimized); median and quartiles over seeds. Optuna 3.1 has no GP sampler built in, so there is no Optuna GP column. shendu TPE scores candidates with Optuna 3.1\'s truncated-normal log density (no -log(scale) term), its default optuna31Density: true.',
  optuna: optuna ? { version: optuna.version, seeds: optuna.seeds, nTrials: optuna.nTrials } : null,
  seeds: SEEDS, nTrials: N, optima: Object.fromEntries(Object.entries(PROBLEMS).map(([k, v]) => [k, v.optimum])),
  summary: table, checks, shendu, optunaCost: optuna ? Object.fromEntries(Object.entries(optuna.problems).map(([p, cols]) => [p, Object.fromEntries(Object.entries(cols as Record<string, Column>).map(([s, c]) => [s, { wallSeconds: c.wallSeconds, cpuSeconds: c.cpuSeconds }]))])) : null,
}, null, 1) + '\n');
console.log(`wrote ${a.out}`);
