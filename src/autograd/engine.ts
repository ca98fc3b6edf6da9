/**
 * The backward pass: an iterative topological walk over recorded GradNodes (a 10,000-op chain does not
 * touch the call stack), accumulating gradients with `+` as micrograd does.
 * @module
 */
import { collectBirths, openBirthLog, restoreBirthLog } from '../backend/storage-births.js';
import { isPoolArray, recycleFloat32 } from '../backend/array-pool.js';
import { HostStorage } from '../backend/cpu/storage.js';
import { AutogradError, ShapeError, fmtShape } from '../errors.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor, ownerOf, type GradNode } from '../tensor/tensor.js';
import { setGradEnabled } from './grad-mode.js';
import { backendOf, binary, copy, filled, isContiguous, permute } from './primitives.js';
import { isFloating } from '../tensor/dtype.js';

/** Options of `backward` and `grad`. */
export interface BackwardOptions {
  /** Keep the graph's saved values so backward can run through it again (default false). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
}

/**
 * a + b, computed in the operands' own memory order when both are the same permutation of a dense layout
 * (e.g. the transposed gradients of a weight used at every step of a recurrent net), so the sum reads
 * memory in order instead of gathering it.
 */
function accumulate(a: Tensor, b: Tensor): Tensor {
  const r = a.ndim;
  if (r >= 2 && sameShape(a.shape, b.shape) && sameShape(a.strides, b.strides)) {
    const perm = a.strides.map((_, d) => d).sort((x, y) => a.strides[y] - a.strides[x]);
    let expected = 1;
    let dense = true;
    for (let k = r - 1; k >= 0 && dense; k--) {
      dense = a.strides[perm[k]] === expected;
      expected *= a.shape[perm[k]];
    }
    if (dense && perm.some((d, k) => d !== k)) {
      const inverse = perm.map((_, k) => perm.indexOf(k));
      return permute(binary('add', permute(a, perm), permute(b, perm)), inverse);
    }
  }
  return binary('add', a, b);
}

/**
 * Gives `storage`'s array to the array pool and empties the storage, when it is host memory the pool made and no
 * tensor in `live` uses that memory. The caller knows nothing else holds the storage.
 */
function recycleStorage(storage: object, live: readonly (Tensor | null)[]): void {
  if (!(storage instanceof HostStorage) || !isPoolArray(storage.data)) return;
  const buffer = storage.data.buffer;
  if (live.some((t) => t && (t.storage as HostStorage).data?.buffer === buffer)) return;
  recycleFloat32(storage.release() as Float32Array);
}

function seedGradient(op: string, root: Tensor, gradient: Tensor | undefined): Tensor {
  if (!root.requiresGrad) {
    throw new AutogradError(`${op}: the tensor does not require grad and has no gradFn; set requiresGrad on an input first`);
  }
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new AutogradError(
        `${op}: a gradient can be created implicitly only for one-element outputs, got shape ${fmtShape(root.shape)}; pass a gradient of that shape`,
      );
    }
    return filled(root.shape, 1, root.dtype, root.device);
  }
  if (!(gradient instanceof Tensor)) throw new AutogradError(`${op}: gradient must be a Tensor`);
  if (!sameShape(gradient.shape, root.shape)) {
    throw new ShapeError(`${op}: gradient has shape ${fmtShape(gradient.shape)} but the tensor has shape ${fmtShape(root.shape)}`);
  }
  return gradient;
}

/** Refuses to differentiate through a node after a tensor it saved was changed in place (wrong gradients otherwise). */
function checkSaved(node: GradNode): void {
  for (const { tensor, version } of node.saved) {
    if (tensor.version !== version) {
      throw new AutogradError(
        `backward: a ${tensor.dtype} tensor of shape ${fmtShape(tensor.shape)} that ${node.name} saved for the backward pass was changed in place ` +
          `after it was used (it is at version ${tensor.version}, ${node.name} needs version ${version}); ` +
          'update a clone() instead, or move the in-place change after backward',
      );
    }
  }
}

/** Nodes reachable from `roots`, ordered so that each node comes before every node it feeds into backward. */
function topoOrder(roots: readonly GradNode[]): GradNode[] {
  const order: GradNode[] = [];
  const seen = new Set<GradNode>();
  const stack: { node: GradNode; next: number }[] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push({ node: r, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.edges.length) {
        const child = top.node.edges[top.next++];
        if (child && !(child instanceof Tensor) && !seen.has(child)) {
          seen.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * Runs backward from `roots` with `grads`. Leaf gradients go to `.grad` (accumulating), or, when `capture`
 * is given, only the captured tensors' gradients are collected and returned.
 */
function run(roots: readonly Tensor[], grads: readonly Tensor[], opts: BackwardOptions, capture?: readonly Tensor[]): Map<Tensor, Tensor> {
  const retain = opts.retainGraph ?? opts.createGraph ?? false;
  const prev = setGradEnabled(opts.createGraph ?? false);
  const captured = new Map<Tensor, Tensor>();
  const wanted = capture ? new Set(capture) : null;
  const nodeGrads = new Map<GradNode, Tensor>();
  // Sums this pass made and nothing else holds yet (a node's sum until its vjp reads it, a leaf's gradient, a
  // captured one): later terms are added into them in place, instead of a new tensor per term (a weight or memory
  // used at every step of a loop). Never under createGraph, where the sums are part of the recorded graph.
  const owned = new Set<Tensor>();
  const own = (t: Tensor) => {
    if (!opts.createGraph) owned.add(t);
    return t;
  };
  // How many gradients in flight use each storage: +1 when a vjp hands one out, -1 when a node's vjp has used its
  // gradient up (nothing keeps it then: not the node, not a retained tensor). A leaf's first gradient is adopted
  // without a copy, as PyTorch's AccumulateGrad steals a gradient nobody else holds, when its memory was made in
  // this pass, only this gradient uses it, and it is all this tensor's, row-major — a view too, such as a linear
  // layer's weight gradient, which arrives through the transpose's vjp as a view of the product made for it.
  const births = openBirthLog();
  const handedOut = new Map<object, number>();
  const handOut = (g: Tensor) => handedOut.set(g.storage, (handedOut.get(g.storage) ?? 0) + 1);
  const usedUp = (g: Tensor) => handedOut.set(g.storage, (handedOut.get(g.storage) ?? 1) - 1);
  // held by someone else too (the caller's seeds, a retained gradient): never adopted, never recycled
  const heldOutside = (g: Tensor) => handedOut.set(g.storage, Number.POSITIVE_INFINITY);
  const adoptable = (t: Tensor, g: Tensor) =>
    !opts.createGraph && g.dtype === t.dtype && births.log.has(g.storage) && handedOut.get(g.storage) === 1 && g.offset === 0 &&
    g.numel() === g.storage.length && isContiguous(g);
  // A gradient is dead once it was used (read by its node's vjp, added into a sum, copied to a leaf) when this
  // pass made its memory and nothing outside the pass can hold it: handed out at most once (to where it was
  // used; not a seed, not retained, not wanted by grad()), not kept as a sum, and not sharing memory with what
  // it went into. Its array then goes back to the pool for the next results of its size (src/backend/array-pool.ts):
  // fresh memory is what a training step spends most on (see there). Never under createGraph, where gradients are
  // part of the recorded graph.
  const recycling = !opts.createGraph && !wanted;
  const release = (g: Tensor, live: readonly (Tensor | null)[]) => {
    if (recycling && !owned.has(g) && births.log.has(g.storage) && (handedOut.get(g.storage) ?? 0) <= 1) recycleStorage(g.storage, live);
  };
  // A vjp's temporaries (what it made and did not return) are dead when it returns: built-in vjps keep nothing
  // (record's keepsGradient marks the ones that keep their gradient, and their temporaries are left alone too).
  const runVjp = (node: GradNode, vjp: (g: Tensor) => (Tensor | null)[], g: Tensor): (Tensor | null)[] => {
    if (!recycling || node.keepsGradient) return vjp(g);
    const [outputs, born] = collectBirths(() => vjp(g));
    // two storages wrapping one array (a re-labelled result): the pool takes the array once
    for (const s of born) recycleStorage(s, [g, ...outputs]);
    return outputs;
  };
  const add = (a: Tensor | undefined, b: Tensor): Tensor => {
    if (!a) return b;
    if (owned.has(a) && a.dtype === b.dtype && isFloating(a.dtype)) {
      backendOf(a).addInto(a, b);
      release(b, [a]);
      return a;
    }
    const sum = own(accumulate(a, b));
    handOut(sum);
    release(a, [sum, b]);
    release(b, [sum, a]);
    return sum;
  };
  const deliverLeaf = (t: Tensor, g: Tensor) => {
    if (wanted) {
      if (wanted.has(t)) captured.set(t, add(captured.get(t), g));
    } else if (t.grad && owned.has(t.grad)) {
      add(t.grad, g);
    } else if (!t.grad && adoptable(t, g)) {
      t.grad = own(g.isView ? ownerOf(g) : g);
    } else {
      // Each leaf gets a gradient of its own (a fresh row-major copy): g may be a broadcast view or shared
      // with another input (add passes the same tensor to both), and optimizers update .grad in place.
      t.grad = own(t.grad ? binary('add', t.grad, g) : opts.createGraph ? g : copy(g));
      release(g, [t.grad]);
    }
  };
  try {
    grads.forEach(heldOutside);
    roots.forEach((r, i) => {
      if (wanted && wanted.has(r) && r.gradFn) captured.set(r, add(captured.get(r), grads[i]));
      if (r.gradFn) nodeGrads.set(r.gradFn, add(nodeGrads.get(r.gradFn), grads[i]));
      else deliverLeaf(r, grads[i]);
    });
    const order = topoOrder(roots.map((r) => r.gradFn).filter((n): n is GradNode => n !== null));
    for (const node of order) {
      const g = nodeGrads.get(node);
      if (!g) continue;
      nodeGrads.delete(node);
      // the vjp may pass g on (to several inputs): from here it is shared
      owned.delete(g);
      if (node.retained && !wanted) {
        node.retained.grad = node.retained.grad ? binary('add', node.retained.grad, g) : g;
        heldOutside(g);
      }
      if (node.vjp === null) {
        throw new AutogradError(
          `backward: trying to run backward through ${node.name} a second time, but its saved values were freed after the first backward; pass {retainGraph: true} to the first backward call`,
        );
      }
      checkSaved(node);
      const inputGrads = runVjp(node, node.vjp, g);
      if (!retain) node.vjp = null;
      for (const gi of inputGrads) if (gi) handOut(gi);
      if (!node.keepsGradient) {
        release(g, inputGrads);
        if (!wanted) usedUp(g);
      }
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        const edge = node.edges[i];
        if (!gi || !edge) return;
        if (!sameShape(gi.shape, input.shape)) {
          throw new AutogradError(`${node.name}: internal error: gradient shape ${fmtShape(gi.shape)} != input shape ${fmtShape(input.shape)}`);
        }
        if (edge instanceof Tensor) {
          deliverLeaf(edge, gi);
          return;
        }
        if (wanted && wanted.has(input)) captured.set(input, add(captured.get(input), gi));
        nodeGrads.set(edge, add(nodeGrads.get(edge), gi));
      });
    }
  } finally {
    setGradEnabled(prev);
    restoreBirthLog(births.previous);
  }
  return captured;
}


/**
 * Computes gradients of `root` with respect to every leaf that requires grad, adding them into `.grad`.
 * `gradient` is required unless `root` has one element; the options may stand in its place
 * (`backward(y, {retainGraph: true})`).
 */
export function backward(root: Tensor, gradient?: Tensor | BackwardOptions | null, opts: BackwardOptions = {}): void {
  // y.backward({retainGraph: true}): the options may come first when there is no gradient to pass
  if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor) && typeof gradient === 'object') {
    const keys = Object.keys(gradient).filter((k) => k !== 'retainGraph' && k !== 'createGraph');
    if (keys.length > 0) throw new AutogradError(`backward: gradient must be a Tensor or an options object {retainGraph, createGraph}, got an object with key '${keys[0]}'`);
    run([root], [seedGradient('backward', root, undefined)], { ...gradient, ...opts });
    return;
  }
  run([root], [seedGradient('backward', root, gradient ?? undefined)], opts);
}

/**
 * Returns the gradients of `outputs` with respect to `inputs` without touching `.grad` (torch.autograd.grad).
 * An input the outputs do not depend on gets a zero gradient.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  gradOutputs?: readonly (Tensor | undefined)[],
  opts: BackwardOptions = {},
): Tensor[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const seeds = outs.map((o, i) => seedGradient('grad', o, gradOutputs?.[i]));
  for (const t of inputs) {
    if (!t.requiresGrad) throw new AutogradError('grad: every input must require grad');
  }
  const got = run(outs, seeds, opts, inputs);
  return inputs.map((t) => got.get(t) ?? filled(t.shape, 0, t.dtype, t.device));
}
