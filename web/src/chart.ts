/**
 * A small live line chart on a canvas: a few named series of (x, y) points, axes with their ranges, a legend.
 * Redrawn whole on each `draw()`; cheap enough to call after every batch.
 * @module
 */

/** One line of a chart. */
export interface Series {
  /** Legend label. */
  name: string;
  /** CSS colour. */
  color: string;
  /** The points, x increasing. */
  points: [number, number][];
}

/** Options of LineChart. */
export interface LineChartOptions {
  /** Chart title. */
  title: string;
  /** Fixed y range (default: the data's, from 0). */
  yRange?: [number, number];
  /** Format of y tick labels (default 2 decimals). */
  format?: (v: number) => string;
}

/** A line chart drawn into `canvas` (sized by CSS; drawn at the device's pixel ratio). */
export class LineChart {
  /** The series drawn, in legend order. */
  readonly series: Series[];

  /** A chart of `series` (names and colours) in `canvas`. */
  constructor(private readonly canvas: HTMLCanvasElement, series: { name: string; color: string }[], private readonly opts: LineChartOptions) {
    this.series = series.map((s) => ({ ...s, points: [] }));
    this.draw();
  }

  /** Removes every point. */
  clear(): void {
    for (const s of this.series) s.points.length = 0;
    this.draw();
  }

  /** Redraws the chart. */
  draw(): void {
    const c = this.canvas;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = c.clientWidth || 400;
    const h = c.clientHeight || 200;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = '#222';
    g.fillText(this.opts.title, 8, 14);
    const left = 56;
    const right = w - 8;
    const top = 34;
    const bottom = h - 22;
    const all = this.series.flatMap((s) => s.points);
    const xMax = Math.max(1, ...all.map((p) => p[0]));
    const [y0, y1] = this.opts.yRange ?? [0, Math.max(1e-6, ...all.map((p) => p[1]))];
    const fmt = this.opts.format ?? ((v: number) => v.toFixed(2));
    const X = (x: number) => left + (x / xMax) * (right - left);
    const Y = (y: number) => bottom - ((Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * (bottom - top);
    g.strokeStyle = '#999';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(left, top);
    g.lineTo(left, bottom);
    g.lineTo(right, bottom);
    g.stroke();
    g.fillStyle = '#555';
    g.textAlign = 'right';
    g.fillText(fmt(y1), left - 4, top + 4);
    g.fillText(fmt(y0), left - 4, bottom);
    g.textAlign = 'center';
    g.fillText('0', left, h - 6);
    g.fillText(`${xMax} batches`, right - 30, h - 6);
    g.textAlign = 'left';
    let lx = left + 8;
    for (const s of this.series) {
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.beginPath();
      s.points.forEach(([x, y], i) => (i === 0 ? g.moveTo(X(x), Y(y)) : g.lineTo(X(x), Y(y))));
      if (s.points.length === 1) g.arc(X(s.points[0][0]), Y(s.points[0][1]), 2, 0, 2 * Math.PI);
      g.stroke();
      g.fillStyle = s.color;
      g.fillRect(lx, 22, 10, 3);
      g.fillStyle = '#222';
      const label = s.points.length ? `${s.name} ${fmt(s.points[s.points.length - 1][1])}` : s.name;
      g.fillText(label, lx + 14, 27);
      lx += g.measureText(label).width + 30;
    }
  }
}
