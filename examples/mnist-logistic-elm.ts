/**
 * MNIST digits by multinomial logistic regression (maximum likelihood, L-BFGS) and by extreme learning
 * machines with 1,000 and 4,000 random ReLU hidden units whose output layer is solved in closed form
 * ((H^T H + alpha I) beta = H^T Y by Cholesky). Prints each model's test accuracy on the 10,000 test images and
 * its fit and predict times.
 * Run: npm run build && node dist/examples/mnist-logistic-elm.js [--train 20000] [--hidden 1000,4000]
 * @module
 */
import { classic, type Tensor } from '../src/index.js';
import { mnist } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  train: { type: 'string', default: '20000' }, hidden: { type: 'string', default: '1000,4000' },
});
const nTrain = Number(a.train);
const hidden = a.hidden.split(',').map(Number);
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const tAll = performance.now();

const train = mnist({ train: true });
const test = mnist({ train: false });
const flat = (x: Tensor, n: number) => x.reshape([x.shape[0], 784]).narrow(0, 0, n);
// pixels in [0, 1], then each pixel standardized with the training statistics (constant pixels keep scale 1)
const scaler = new classic.StandardScaler().fit(flat(train.images(), nTrain));
const Xtr = scaler.transform(flat(train.images(), nTrain));
const Xte = scaler.transform(flat(test.images(), test.length));
const ytr = train.labels().narrow(0, 0, nTrain);
const yte = test.labels();
console.log(`MNIST: ${nTrain} training images, ${test.length} test images, 784 standardized pixels (float32)`);

let t = performance.now();
const logit = new classic.LogisticRegression({ C: 0.05, maxIter: 100, tol: 1e-5 }).fit(Xtr, ytr);
const fitLogit = seconds(t);
t = performance.now();
const accLogit = logit.score(Xte, yte);
console.log(
  `multinomial logistic regression (L-BFGS, C=0.05, ${logit.nIter} iterations${logit.converged ? '' : ', stopped at maxIter'}): ` +
    `train accuracy ${(logit.score(Xtr, ytr) * 100).toFixed(2)}%, test accuracy ${(accLogit * 100).toFixed(2)}%  (fit ${fitLogit}, score ${seconds(t)})`,
);

for (const L of hidden) {
  t = performance.now();
  const elm = new classic.ELMClassifier({ nHidden: L, activation: 'relu', alpha: 1, seed: 0 }).fit(Xtr, ytr);
  const fitTime = seconds(t);
  t = performance.now();
  const acc = elm.score(Xte, yte);
  console.log(`ELM, ${L} ReLU hidden units (alpha=1): test accuracy ${(acc * 100).toFixed(2)}%  (fit ${fitTime}, predict ${seconds(t)})`);
}
console.log(`time ${seconds(tAll)}`);
