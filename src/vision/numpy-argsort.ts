/**
 * numpy 1.24's default `argsort` (introsort: median-of-3 quicksort, insertion sort up to 16 elements, heapsort
 * past the depth limit), ported so that equal keys come out in numpy's order. Felzenszwalb segmentation visits
 * edges in this order and equal-cost edges are common, so a stable sort would give other segments than skimage.
 * @module
 */

const SMALL_QUICKSORT = 15;

function msb(n: number): number {
  let depth = 0;
  while ((n = Math.floor(n / 2)) > 0) depth++;
  return depth;
}

function aheapsort(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  // a[k] is idx[start + k - 1]: heapsort's one-based indexing, as numpy writes it
  const off = start - 1;
  let i: number;
  let j: number;
  let tmp: number;
  for (let l = n >> 1; l > 0; --l) {
    tmp = idx[off + l];
    for (i = l, j = l << 1; j <= n;) {
      if (j < n && v[idx[off + j]] < v[idx[off + j + 1]]) j += 1;
      if (v[tmp] < v[idx[off + j]]) {
        idx[off + i] = idx[off + j];
        i = j;
        j += j;
      } else break;
    }
    idx[off + i] = tmp;
  }
  for (; n > 1;) {
    tmp = idx[off + n];
    idx[off + n] = idx[off + 1];
    n -= 1;
    for (i = 1, j = 2; j <= n;) {
      if (j < n && v[idx[off + j]] < v[idx[off + j + 1]]) j++;
      if (v[tmp] < v[idx[off + j]]) {
        idx[off + i] = idx[off + j];
        i = j;
        j += j;
      } else break;
    }
    idx[off + i] = tmp;
  }
}

/** The permutation that sorts `v` ascending, tie order exactly as numpy 1.24's `np.argsort(v)` (kind='quicksort'). */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const num = v.length;
  const idx = new Int32Array(num);
  for (let k = 0; k < num; k++) idx[k] = k;
  if (num < 2) return idx;
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        if (v[idx[pr]] < v[idx[pm]]) swap(pr, pm);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi; while (v[idx[pi]] < vp);
          do --pj; while (vp < v[idx[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        let pk = pi - 1;
        while (pj > pl && vp < v[idx[pk]]) idx[pj--] = idx[pk--];
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
  return idx;
}
