/**
 * PyTorch as a peer: whether /usr/bin/python3 can import torch, and the command line that runs one workload
 * of bench/torch_train.py on one thread count (word2vec_train: bench/gensim_train.py, gensim being the Python
 * peer). All three thread variables are set: Debian's torch does its float32
 * GEMMs in OpenBLAS, whose pool would otherwise start a thread per core beside PyTorch's (bench/torch_threads.py
 * also limits it at run time and reports the threads each library used).
 * @module
 */
import { spawnSync } from 'node:child_process';
import type { RunnerSpec } from '../runners.js';

/** The Python that runs the PyTorch side (Debian's python3-torch installs torch for it). */
export const PYTHON = '/usr/bin/python3';

/** Whether PyTorch can run here: its version, or why not. */
export type TorchStatus = { ok: true; version: string } | { ok: false; why: string };

/** Imports torch once in PYTHON and reports its version, or the reason it cannot be imported. */
export function torchStatus(): TorchStatus {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, why: `${PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, why: (r.stderr || '').trim().split('\n').pop() || `exit code ${r.status}` };
  return { ok: true, version: r.stdout.trim() };
}

/** What the PyTorch script reads: the MNIST IDX directory and the text symbol file. */
export interface TorchInputs {
  /** Directory holding train-images-idx3-ubyte and train-labels-idx1-ubyte (plain or .gz). */
  mnistDir?: string;
  /** File of text symbols, one byte each. */
  tokens?: string;
  /** File of sentences, one a line, words separated by spaces (workloads/words.ts). */
  words?: string;
}


/** The program and arguments that run `workload` on the PyTorch runner `r`, and its thread environment. */
export function torchCommand(r: RunnerSpec, workload: string, benchDir: string, inputs: TorchInputs, seconds: number): {
  command: string; args: string[]; env: NodeJS.ProcessEnv;
} {
  const threads = String(r.threads ?? 1);
  // PyTorch has no word2vec: its Python peer is gensim, whose script reads the words file only
  const gensim = workload === 'word2vec_train';
  const args = [`${benchDir}${gensim ? 'gensim_train.py' : 'torch_train.py'}`, workload, '--threads', threads, '--seconds', String(seconds)];
  if (gensim) {
    if (inputs.words) args.push('--words', inputs.words);
  } else {
    if (inputs.mnistDir) args.push('--mnist-dir', inputs.mnistDir);
    if (inputs.tokens) args.push('--tokens', inputs.tokens);
  }
  return { command: PYTHON, args, env: { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads } };
}
