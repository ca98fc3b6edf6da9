/**
 * `summary(model, inputShape)`: runs one forward pass on zeros and prints a table of every leaf layer's output
 * shape, parameter count and multiply-adds, like torchinfo / Keras's model.summary().
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from './conv.js';
import { Linear } from './linear.js';
import { Module, Parameter, type Layer } from './module.js';

/** One row of the summary. */
export interface SummaryRow {
  /** Dotted name of the layer in the model. */
  name: string;
  /** Class name of the layer. */
  type: string;
  /** Shape of its output for the sample input. */
  outputShape: number[];
  /** Number of parameter elements it owns directly. */
  params: number;
  /** Multiply-adds of its forward pass for the sample input. */
  multAdds: number;
}

/** The whole summary: rows plus totals, and `toString()` for the printed table. */
export interface Summary {
  /** One row per leaf layer, in the order they ran. */
  rows: SummaryRow[];
  /** All parameter elements of the model. */
  totalParams: number;
  /** Parameter elements with requiresGrad. */
  trainableParams: number;
  /** Sum of the rows' multiply-adds. */
  totalMultAdds: number;
  /** The table as text. */
  toString(): string;
}

function multAdds(m: Module, input: Tensor, out: Tensor): number {
  if (m instanceof Linear) return (out.numel() / m.outFeatures) * m.inFeatures * m.outFeatures;
  if (m instanceof Conv2d || m instanceof Conv1d) return out.numel() * m.weight.numel() / m.weight.shape[0];
  if (m instanceof ConvTranspose2d || m instanceof ConvTranspose1d) return input.numel() * m.weight.numel() / m.weight.shape[0];
  return 0;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Runs `model` on zeros of `inputShape`, on a given input tensor, or on several forward arguments (a CGAN's
 * z [N, latentDim] and labels [N]) — in eval mode, without gradients — and tabulates its layers.
 */
export function summary(model: Layer, inputShape: readonly number[] | Tensor | readonly Tensor[]): Summary {
  if (!(model instanceof Module) || typeof model.forward !== 'function') throw new ValueError('summary: model must be a Module with a forward method');
  const inputs: Tensor[] = inputShape instanceof Tensor ? [inputShape] : inputShape.length > 0 && inputShape.every((t) => t instanceof Tensor) ? [...inputShape as readonly Tensor[]] : [zeros(inputShape as readonly number[])];
  const input = inputs[0];
  const rows: SummaryRow[] = [];
  // a forward hook on every leaf layer records its row (a model without children is itself the one leaf)
  const handles = model.namedModules().filter(([, m]) => m.children().length === 0 && typeof (m as Layer).forward === 'function').map(([name, m]) =>
    m.registerForwardHook((_m, inputs, out) => {
      const x = inputs[0];
      const direct = Object.values(m).filter((v): v is Parameter => v instanceof Parameter);
      rows.push({
        name,
        type: m.constructor.name,
        outputShape: out instanceof Tensor ? [...out.shape] : [],
        params: direct.reduce((n, p) => n + p.numel(), 0),
        multAdds: out instanceof Tensor && x instanceof Tensor ? multAdds(m, x, out) : 0,
      });
    }));
  // modes may differ between modules (a frozen batch norm kept in eval while fine-tuning): restore each one
  const modes = model.modules().map((m): [Module, boolean] => [m, m.training]);
  model.eval();
  try {
    noGrad(() => (model.forward as (...a: Tensor[]) => unknown)(...inputs));
  } finally {
    for (const h of handles) h.remove();
    for (const [m, mode] of modes) m.training = mode;
  }
  const totalParams = model.parameterCount();
  const trainableParams = model.parameterCount({ trainableOnly: true });
  const totalMultAdds = rows.reduce((n, r) => n + r.multAdds, 0);
  return {
    rows, totalParams, trainableParams, totalMultAdds,
    toString() {
      const header = ['Layer (type)', 'Output shape', 'Param #', 'Mult-adds'];
      const body = rows.map((r) => [r.name ? `${r.name} (${r.type})` : r.type, `[${r.outputShape.join(', ')}]`, fmtInt(r.params), fmtInt(r.multAdds)]);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
      const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
      const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
      return [
        line(header), rule, ...body.map(line), rule,
        `Total params: ${fmtInt(totalParams)}`,
        `Trainable params: ${fmtInt(trainableParams)}`,
        `Non-trainable params: ${fmtInt(totalParams - trainableParams)}`,
        `Mult-adds: ${fmtInt(totalMultAdds)}`,
        `Input shape: [${input.shape.join(', ')}]`,
      ].join('\n');
    },
  };
}
