"""What the PyTorch twins of the text examples share (bench/torch_pos.py, torch_spam.py, torch_sentiment.py): padding
lists of token indices (or per-token feature lists) into a tensor with lengths, and shendu's BucketBatchSampler
(text.PaddedBatches with shuffle): a shuffled order, each run of 50 batches sorted by length and cut into batches,
the batches shuffled. The permutations come from torch's generator, so the batches differ from shendu's; the
recipe is the same.
"""
import torch


def pad(seqs, value):
    """Sequences (lists of indices, or of equal-length feature lists) padded with `value` to [N, L(, F)] int64, and lengths."""
    lengths = [len(s) for s in seqs]
    longest = max(lengths)
    first = seqs[0][0]
    shape = (len(seqs), longest, len(first)) if isinstance(first, list) else (len(seqs), longest)
    out = torch.full(shape, value, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s, dtype=torch.long)
    return out, torch.tensor(lengths)


def bucket_batches(lengths, batch_size, g, bucket_batches_count=50):
    """One pass of bucketed batches of indices (see the module doc)."""
    n = len(lengths)
    order = torch.randperm(n, generator=g).tolist()
    bucket = bucket_batches_count * batch_size
    batches = []
    for s in range(0, n, bucket):
        b = sorted(order[s:s + bucket], key=lambda i: lengths[i])
        batches += [b[k:k + batch_size] for k in range(0, len(b), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=g).tolist()]
