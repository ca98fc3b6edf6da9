#!/usr/bin/env python3
"""Optuna's side of the tune comparison (issue 17): random search and TPE (Optuna's defaults) on Branin,
Hartmann-6 and the 5-D Rosenbrock, 20 seeds, 100 trials each; records the best value after 50 and 100 trials.
Optuna 3.1 has no Gaussian-process sampler built in (its BoTorch integration needs botorch, not installed), so there
is no Optuna GP column: bench/tune-compare.ts compares shendu's GP with both libraries' random search and TPE.
Writes bench/results/tune-optuna.json; bench/tune-compare.ts reads it. Skips with a message where optuna is missing.
Run: nice -n 5 /usr/bin/python3 bench/optuna_compare.py [--seeds 20] [--problems branin,hartmann6,rosenbrock5]
[--samplers random,tpe] [--trials 100] [--out bench/results/tune-optuna.json] (seeds 0..N-1; more seeds than the claim's 20 measure how
much of a gap between the two TPEs is the seeds' noise).
"""
import argparse
import json
import math
import os
import sys
import time

try:
    import optuna
except ImportError:
    print('optuna_compare: optuna is not installed (Debian: apt-get install python3-optuna); skipped')
    sys.exit(0)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'bench', 'results', 'tune-optuna.json')
N_TRIALS = 100
CHECKPOINTS = (50, 100)

H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
       [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
H_ALPHA = [1.0, 1.2, 3.0, 3.2]


def branin(t):
    x1 = t.suggest_float('x1', -5, 10)
    x2 = t.suggest_float('x2', 0, 15)
    b, c = 5.1 / (4 * math.pi ** 2), 5 / math.pi
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


def hartmann6(t):
    x = [t.suggest_float(f'x{i}', 0, 1) for i in range(6)]
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))) for i in range(4))


def rosenbrock5(t):
    x = [t.suggest_float(f'x{i}', -2.048, 2.048) for i in range(5)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


PROBLEMS = {'branin': branin, 'hartmann6': hartmann6, 'rosenbrock5': rosenbrock5}


def best_after(values, n):
    return min(values[:n])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=20)
    ap.add_argument('--trials', type=int, default=N_TRIALS)
    ap.add_argument('--problems', default=','.join(PROBLEMS))
    ap.add_argument('--samplers', default='random,tpe')
    ap.add_argument('--out', default=OUT)
    args = ap.parse_args()
    seeds = range(args.seeds)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    checkpoints = [c for c in CHECKPOINTS if c <= args.trials]
    out = {'library': 'optuna', 'version': optuna.__version__, 'nTrials': args.trials, 'seeds': len(seeds), 'problems': {}}
    for pname in args.problems.split(','):
        f = PROBLEMS[pname]
        out['problems'][pname] = {}
        for sname in args.samplers.split(','):
            runs, t0, cpu0 = [], time.time(), time.process_time()
            for seed in seeds:
                sampler = optuna.samplers.RandomSampler(seed=seed) if sname == 'random' else optuna.samplers.TPESampler(seed=seed)
                study = optuna.create_study(sampler=sampler)
                study.optimize(f, n_trials=args.trials)
                vals = [t.value for t in study.trials]
                runs.append({str(n): best_after(vals, n) for n in checkpoints})
            out['problems'][pname][sname] = {'runs': runs, 'wallSeconds': round(time.time() - t0, 2),
                                             'cpuSeconds': round(time.process_time() - cpu0, 2)}
            print(pname, sname, 'done in', round(time.time() - t0, 1), 's', flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    print('wrote', args.out)


if __name__ == '__main__':
    main()
