"""The PyTorch twin of shendu's G2PTransformer (src/models/sequence/g2p-transformer.ts), used by bench/torch_g2p.py
(--arch transformer) and tools/make_g2p_transformer_fixtures.py: the same modules under the same names (srcEmbed,
tgtEmbed, srcPos/tgtPos, encoder.layers.k.*, encoder.norm, decoder.layers.k.*, decoder.norm, out), so a state dict
moves between the two unchanged; embeddings scaled by sqrt(dModel) plus sinusoidal (float64 math, float32 values)
or learned positions; causal mask and key-padding masks; greedy decoding re-running the decoder on the prefix.
"""
import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def sinusoidal_positions(length, d_model):
    """[length, d_model]: sin(pos / 10000^(2i/d)) in even columns, cos in odd ones, computed in float64."""
    pe = torch.zeros(length, d_model, dtype=torch.float64)
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)[:, :d_model // 2]
    return pe.to(torch.float32)


class G2PTransformer(nn.Module):
    def __init__(self, num_letters=28, num_classes=42, d_model=64, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
                 dim_feedforward=256, dropout=0.1, positions='sinusoidal', max_positions=64, norm_first=False, max_length=32):
        super().__init__()
        self.d_model = d_model
        self.max_length = max_length
        self.srcEmbed = nn.Embedding(num_letters, d_model)
        self.tgtEmbed = nn.Embedding(num_classes, d_model)
        learned = positions == 'learned'
        self.srcPos = nn.Embedding(max_positions, d_model) if learned else None
        self.tgtPos = nn.Embedding(max_positions, d_model) if learned else None
        self.dropout = nn.Dropout(dropout)
        kw = dict(dim_feedforward=dim_feedforward, dropout=dropout, batch_first=True, norm_first=norm_first)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, **kw), num_encoder_layers, norm=nn.LayerNorm(d_model))
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, **kw), num_decoder_layers, norm=nn.LayerNorm(d_model))
        self.out = nn.Linear(d_model, num_classes)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def embed(self, ids, table, pos):
        n = ids.shape[1]
        p = sinusoidal_positions(n, self.d_model) if pos is None else pos(torch.arange(n))
        return self.dropout(table(ids) * math.sqrt(self.d_model) + p)

    def encode(self, src, lengths):
        mask = torch.arange(src.shape[1])[None, :] >= torch.as_tensor(lengths)[:, None]
        return self.encoder(self.embed(src, self.srcEmbed, self.srcPos), src_key_padding_mask=mask), mask

    def decode_logits(self, tgt_in, memory, mask):
        n = tgt_in.shape[1]
        causal = torch.triu(torch.full((n, n), float('-inf')), diagonal=1)
        y = self.decoder(self.embed(tgt_in, self.tgtEmbed, self.tgtPos), memory, tgt_mask=causal,
                         tgt_key_padding_mask=tgt_in == PAD, memory_key_padding_mask=mask)
        return self.out(y)

    def forward(self, src, lengths, tgt_in):
        memory, mask = self.encode(src, lengths)
        return self.decode_logits(tgt_in, memory, mask)

    @torch.no_grad()
    def decode(self, src, lengths, max_len=None):
        memory, mask = self.encode(src, lengths)
        b = src.shape[0]
        prefix = torch.full((b, 1), BOS, dtype=torch.long)
        out = [[] for _ in range(b)]
        done = [False] * b
        for _ in range(max_len or self.max_length):
            lp = self.decode_logits(prefix, memory, mask)[:, -1]
            lp[:, :EOS] = float('-inf')  # pad and <bos> are never outputs
            nxt = lp.argmax(1)
            for i, c in enumerate(nxt.tolist()):
                if done[i]:
                    nxt[i] = EOS
                elif c == EOS:
                    done[i] = True
                else:
                    out[i].append(c)
            prefix = torch.cat([prefix, nxt[:, None]], 1)
            if all(done):
                break
        return out
