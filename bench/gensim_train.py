"""gensim side of the `peers` benchmark suite's word2vec_train (PyTorch has no word2vec), printed as one JSON row.

Run by bench/peers/torch.ts for the torch runners as
    python3 gensim_train.py word2vec_train --threads N --words FILE [--seconds S]
gensim's Word2Vec, skip-gram with negative sampling, workers = N, with W2V of bench/workloads/spec.ts, trained on
the sentences of FILE (one a line, words separated by spaces: the very tokens shendu trains on). One step is one
pass over the corpus (train with epochs=1, the rate decaying from alpha to min_alpha within the pass), timed as
measureSteps in bench/timing.ts. The figure is raw corpus words (the raw_word_count gensim's train returns:
every word, in the vocabulary or not, before subsampling) per second of wall time; gensim's own log counts
"effective words" (after the vocabulary cut and subsampling) instead, which would be a smaller number.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import ROW_MARKER, measure_steps  # noqa: E402

W2V = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, alpha=0.025, min_alpha=0.0001, seed=1)


def word2vec_step(sentences, workers):
    """One pass of skip-gram word2vec over `sentences` per call; returns (step, raw words a pass, model)."""
    from gensim.models import Word2Vec
    s = W2V
    model = Word2Vec(vector_size=s['vector_size'], window=s['window'], negative=s['negative'], sample=s['sample'],
                     min_count=s['min_count'], sg=1, hs=0, alpha=s['alpha'], min_alpha=s['min_alpha'], seed=s['seed'],
                     workers=workers)
    model.build_vocab(sentences)
    words = sum(len(x) for x in sentences)

    def step():
        _, raw = model.train(sentences, total_examples=len(sentences), epochs=1,
                             start_alpha=s['alpha'], end_alpha=s['min_alpha'])
        if raw != words:
            raise RuntimeError(f'a pass processed {raw} raw words, expected the corpus\'s {words}')
    return step, words, model


def main():
    p = argparse.ArgumentParser()
    p.add_argument('workload', choices=['word2vec_train'])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--words', required=True)
    p.add_argument('--seconds', type=float, default=2.5)
    args = p.parse_args()
    row = {'workload': args.workload, 'runner': f'torch-{args.threads}t', 'value': None, 'unit': 'words/s'}
    try:
        import gensim
        with open(args.words, encoding='utf8') as f:
            sentences = [line.split(' ') for line in f.read().split('\n') if line]
        step, words, model = word2vec_step(sentences, args.threads)
        row['note'] = (f'gensim {gensim.__version__} Word2Vec (no PyTorch word2vec), workers={args.threads}, '
                       f'vocabulary {len(model.wv)}, {words} words a pass')
        row['value'] = measure_steps(step, args.seconds) * words
    except Exception as e:  # reported in the table, like every runner's error
        row['error'] = f'{type(e).__name__}: {e}'.split('\n')[0]
    sys.stdout.write(ROW_MARKER + json.dumps(row) + '\n')


if __name__ == '__main__':
    main()
