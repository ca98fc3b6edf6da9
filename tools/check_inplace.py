#!/usr/bin/env python3
"""Prints what torch 1.13 gives for the in-place cases of test/autograd/version.test.ts (run: /usr/bin/python3 tools/check_inplace.py)."""
import torch
x = torch.tensor([1.,2.], requires_grad=True)
w = torch.tensor([3.,4.], requires_grad=True)
h2 = x.add(0); h2.mul_(w)
try:
    h2.sum().backward(); print('no error', x.grad, w.grad)
except RuntimeError as e: print('error:', str(e)[:150])
x = torch.tensor([1.,2.], requires_grad=True)
h = x.mul(1); y = h.mul(3); h.add_(1); y.sum().backward(); print('y=3h', x.grad)
w = torch.tensor([1.,2.,3.], requires_grad=True); buf = torch.zeros(3); buf.add_(w*3); print(buf.requires_grad, buf.grad_fn)
x = torch.tensor([1.,2.], requires_grad=True); s = torch.tensor([5.,6.], requires_grad=True)
h = x.mul(1); h.copy_(s*2); print(torch.autograd.grad(h.sum(), [x, s], allow_unused=True))
