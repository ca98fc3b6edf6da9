/**
 * The drawing pad: white strokes on black, drawn with a mouse, pen or finger, turned into a 28x28 image the way
 * MNIST's digits were made (LeCun et al.): the ink's bounding box scaled to fit 20x20 (antialiased), then placed
 * in a 28x28 frame so that its centre of mass is at the centre.
 * @module
 */

/** Side of the image the model sees. */
const SIDE = 28;
/** Side of the box the ink is scaled into. */
const BOX = 20;

/** A canvas to draw digits on; `onChange` runs after every stroke (and while drawing, at most once a frame). */
export class DrawingPad {
  private drawing = false;
  private last: [number, number] | null = null;
  private pending = false;
  private ink = false;

  /** Attaches to `canvas`; strokes are `lineWidth` canvas pixels wide. */
  constructor(readonly canvas: HTMLCanvasElement, private readonly onChange: () => void, private readonly lineWidth = 22) {
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.stroke(this.last ?? p, p);
      this.last = p;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.onChange();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** True once something was drawn since the last `clear()`. */
  get hasInk(): boolean {
    return this.ink;
  }

  /** Wipes the pad. */
  clear(): void {
    const g = this.canvas.getContext('2d')!;
    g.fillStyle = '#000';
    g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ink = false;
  }

  private point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  }

  private stroke(from: [number, number], to: [number, number]): void {
    const g = this.canvas.getContext('2d')!;
    g.strokeStyle = '#fff';
    g.lineWidth = this.lineWidth;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(from[0], from[1]);
    g.lineTo(to[0], to[1]);
    g.stroke();
    this.ink = true;
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        if (this.drawing) this.onChange();
      });
    }
  }

  /** The drawing as MNIST sees digits: 28x28 values in [0, 1] (1 = ink), row-major; null when the pad is empty. */
  toMnist(): Float32Array | null {
    const { width: w, height: h } = this.canvas;
    const src = this.canvas.getContext('2d')!.getImageData(0, 0, w, h).data;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (src[(y * w + x) * 4] > 20) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const s = BOX / Math.max(bw, bh);
    const dw = bw * s;
    const dh = bh * s;
    // first pass: the box scaled into the middle; second: shifted so the centre of mass is the centre
    const box = document.createElement('canvas');
    box.width = box.height = SIDE;
    const g = box.getContext('2d', { willReadFrequently: true })!;
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    const place = (dx: number, dy: number) => {
      g.fillStyle = '#000';
      g.fillRect(0, 0, SIDE, SIDE);
      g.drawImage(this.canvas, x0, y0, bw, bh, (SIDE - dw) / 2 + dx, (SIDE - dh) / 2 + dy, dw, dh);
      const px = g.getImageData(0, 0, SIDE, SIDE).data;
      const out = new Float32Array(SIDE * SIDE);
      for (let i = 0; i < out.length; i++) out[i] = px[i * 4] / 255;
      return out;
    };
    const first = place(0, 0);
    let mass = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const v = first[y * SIDE + x];
        mass += v;
        mx += v * x;
        my += v * y;
      }
    }
    const centre = (SIDE - 1) / 2;
    return place(Math.round(centre - mx / mass), Math.round(centre - my / mass));
  }
}
