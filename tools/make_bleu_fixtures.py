"""BLEU reference values from NLTK 3.8 (Debian's python3-nltk) for test/text/bleu.test.ts: corpus and sentence
BLEU on seeded random token corpora (1-3 references per hypothesis, hypotheses of at least 4 tokens, where NLTK's
max(1, count) denominators equal the paper's), with default and custom weights and with smoothing method 1, plus
NLTK's published worked example. Run: /usr/bin/python3 tools/make_bleu_fixtures.py
"""
import os
import random
import warnings

from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu

from fixture_json import write_json_atomic

warnings.simplefilter('ignore')  # NLTK warns on zero-match orders; those cases are meant

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'bleu.json')
rng = random.Random(13)
WORDS = ['a', 'the', 'seven', 'shoe', 'left', 'of', 'above', 'bag', 'two', 'face', 'cat', 'dog']


def sentence(n):
    return [rng.choice(WORDS[: rng.randint(4, len(WORDS))]) for _ in range(n)]


def perturbed(ref):
    # a hypothesis near a reference: some tokens replaced, some dropped or added, so all orders have matches sometimes
    out = []
    for t in ref:
        u = rng.random()
        if u < 0.15:
            out.append(rng.choice(WORDS))
        elif u < 0.22:
            continue
        else:
            out.append(t)
        if rng.random() < 0.07:
            out.append(rng.choice(WORDS))
    while len(out) < 4:
        out.append(rng.choice(WORDS))
    return out


def random_corpus(size):
    refs, hyps = [], []
    for _ in range(size):
        base = sentence(rng.randint(4, 14))
        rs = [base] + [perturbed(base) for _ in range(rng.randint(0, 2))]
        refs.append(rs)
        hyps.append(perturbed(base) if rng.random() < 0.8 else sentence(rng.randint(4, 12)))
    return refs, hyps


m1 = SmoothingFunction(epsilon=0.1).method1
corpora = []
for k in range(8):
    refs, hyps = random_corpus(rng.randint(1, 12))
    corpora.append({
        'references': refs,
        'hypotheses': hyps,
        'bleu4': corpus_bleu(refs, hyps),
        'bleu2': corpus_bleu(refs, hyps, weights=(0.5, 0.5)),
        'bleu_custom': corpus_bleu(refs, hyps, weights=(0.1, 0.3, 0.5, 0.1)),
        'bleu4_smoothed': corpus_bleu(refs, hyps, smoothing_function=m1),
        'sentence_bleu4': [sentence_bleu(r, h) for r, h in zip(refs, hyps)],
        'sentence_bleu4_smoothed': [sentence_bleu(r, h, smoothing_function=m1) for r, h in zip(refs, hyps)],
    })

# NLTK's docstring example (the published worked example of corpus_bleu: 0.5920...)
hyp1 = ['It', 'is', 'a', 'guide', 'to', 'action', 'which', 'ensures', 'that', 'the', 'military', 'always', 'obeys', 'the', 'commands', 'of', 'the', 'party']
ref1a = ['It', 'is', 'a', 'guide', 'to', 'action', 'that', 'ensures', 'that', 'the', 'military', 'will', 'forever', 'heed', 'Party', 'commands']
ref1b = ['It', 'is', 'the', 'guiding', 'principle', 'which', 'guarantees', 'the', 'military', 'forces', 'always', 'being', 'under', 'the', 'command', 'of', 'the', 'Party']
ref1c = ['It', 'is', 'the', 'practical', 'guide', 'for', 'the', 'army', 'always', 'to', 'heed', 'the', 'directions', 'of', 'the', 'party']
hyp2 = ['he', 'read', 'the', 'book', 'because', 'he', 'was', 'interested', 'in', 'world', 'history']
ref2a = ['he', 'was', 'interested', 'in', 'world', 'history', 'because', 'he', 'read', 'the', 'book']
refs, hyps = [[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]
example = {
    'references': refs, 'hypotheses': hyps,
    'bleu4': corpus_bleu(refs, hyps), 'bleu_custom': corpus_bleu(refs, hyps, weights=(0.1, 0.3, 0.5, 0.1)),
    'bleu2': corpus_bleu(refs, hyps, weights=(0.5, 0.5)),
    'sentence_bleu4': [sentence_bleu(r, h) for r, h in zip(refs, hyps)],
}

write_json_atomic(OUT, {'source': 'nltk 3.8 nltk.translate.bleu_score', 'corpora': corpora, 'example': example})
print('wrote', OUT, [round(c['bleu4'], 4) for c in corpora], round(example['bleu4'], 6))
