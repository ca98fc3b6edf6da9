import * as sd from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

// Type promotion with 0-d tensor operands (src/tensor/dtype.ts resultTypeOf), across every op that promotes.
checkFamily('promotion', {
  add: ([a, b]) => sd.add(a, b),
  sub: ([a, b]) => sd.sub(a, b),
  mul: ([a, b]) => sd.mul(a, b),
  div: ([a, b]) => sd.div(a, b),
  pow: ([a, b]) => sd.pow(a, b),
  atan2: ([a, b]) => sd.atan2(a, b),
  maximum: ([a, b]) => sd.maximum(a, b),
  minimum: ([a, b]) => sd.minimum(a, b),
  lt: ([a, b]) => sd.lt(a, b),
  eq: ([a, b]) => sd.eq(a, b),
  where: ([c, a, b]) => sd.where(c, a, b),
  clamp: ([a, lo, hi]) => sd.clamp(a, lo, hi),
  clamp_min: ([a, lo]) => sd.clamp(a, lo),
  clamp_max: ([a, hi]) => sd.clamp(a, null, hi),
  add_number: ([a], o) => sd.add(a, o.other),
  mul_number: ([a], o) => a.mul(o.other),
});
