import * as sd from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

// Wrong results found by issue 10 (tools/fixtures/regressions.py says which), pinned against PyTorch.
checkFamily('regressions', {
  add_alpha: ([a], o) => sd.add(a, o.other, { alpha: o.alpha }),
  sub_alpha: ([a], o) => a.sub(o.other, { alpha: o.alpha }),
  add_alpha_tensor: ([a, b], o) => a.add(b, { alpha: o.alpha }),
  sub_alpha_tensor: ([a, b], o) => sd.sub(a, b, { alpha: o.alpha }),
  clamp: ([a], o) => a.clamp(o.min, o.max),
  clamp_tensor: ([a, lo, hi]) => sd.clamp(a, lo, hi),
  clamp_tensor_min: ([a, lo]) => a.clamp(lo),
  clamp_tensor_max: ([a, hi]) => sd.clamp(a, null, hi),
  sign: ([a]) => a.sign(),
  norm: ([a], o) => sd.norm(a, o.p, o.dim),
  logsumexp: ([a], o) => a.logsumexp(o.dim),
  groupNorm: ([x, w, b], o) => sd.groupNorm(x, o.numGroups, { weight: w, bias: b }),
});
