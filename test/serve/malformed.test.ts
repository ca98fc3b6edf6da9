/**
 * Malformed requests: each gets a 4xx answer `{error, message}` in JSON, and the server goes on answering good
 * requests. Also the run directory's guard: a checkpoint name leading out of it is refused before any read.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { DataError, ValueError } from '../../src/index.js';
import { createServer } from '../../src/serve/index.js';
import { expectError } from '../helpers/check-errors.js';
import { digit, serverOn, tinyRun } from './helpers.js';

const { work, dir } = tinyRun('shendu-serve-bad-');
const server = serverOn(dir, { bodyLimit: 64 * 1024, maxBatch: 4, maxWaitMs: 1 });
const { png, jpeg } = digit(0);

const sample = (v: unknown = 0) => [Array.from({ length: 28 }, () => new Array(28).fill(v))];
const json = (o: unknown) => JSON.stringify(o);
const withSample = (edit: (s: unknown[][][]) => void) => {
  const s = sample();
  edit(s as unknown[][][]);
  return json({ inputs: s });
};
const corrupt = (() => {
  const b = Uint8Array.from(png);
  b[b.length - 20] ^= 0xff; // inside IDAT: the CRC no longer matches
  return b;
})();
const hugePng = (() => {
  // a valid header claiming 100000 x 100000 pixels: refused from the header, before decoding
  const b = encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array([0]) });
  const v = new DataView(b.buffer, b.byteOffset);
  v.setUint32(16, 100000);
  v.setUint32(20, 100000);
  return b;
})();

type Case = [label: string, method: string, url: string, type: string | null, body: string | Uint8Array | null, status: number, error: string, message: RegExp];
const P = '/v1/predict';
const cases: Case[] = [
  ['text/plain body', 'POST', P, 'text/plain', 'hello', 415, 'unsupported_media_type', /takes a body of type image\/png, image\/jpeg, application\/json; got Content-Type "text\/plain"/],
  ['no Content-Type', 'POST', P, null, 'hello', 415, 'unsupported_media_type', /got no Content-Type/],
  ['application/xml', 'POST', P, 'application/xml', '<x/>', 415, 'unsupported_media_type', /application\/xml/],
  ['multipart with a traversing file name', 'POST', P, 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="f"; filename="../../etc/passwd"\r\n\r\nx\r\n--x--', 415, 'unsupported_media_type', /multipart/],
  ['image over the body limit', 'POST', P, 'image/png', new Uint8Array(65 * 1024), 413, 'body_too_large', /larger than the server's limit of 65536 bytes/],
  ['JSON over the body limit', 'POST', P, 'application/json', json({ inputs: new Array(20000).fill(0.123) }), 413, 'body_too_large', /65536 bytes/],
  ['truncated PNG', 'POST', P, 'image/png', png.subarray(0, Math.floor(png.length / 2)), 400, 'bad_input', /PNG body: corrupt or truncated PNG/],
  ['PNG with a bad CRC', 'POST', P, 'image/png', corrupt, 400, 'bad_input', /PNG body: corrupt or truncated PNG/],
  ['truncated JPEG', 'POST', P, 'image/jpeg', jpeg.subarray(0, 40), 400, 'bad_input', /JPEG/],
  ['PNG sent as image/jpeg', 'POST', P, 'image/jpeg', png, 400, 'bad_input', /not a JPEG image \(Content-Type image\/jpeg\)/],
  ['random bytes as image/png', 'POST', P, 'image/png', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 400, 'bad_input', /not a PNG image/],
  ['empty image/png', 'POST', P, 'image/png', new Uint8Array(0), 400, 'bad_input', /empty|no body/],
  ['PNG of 100000 x 100000 pixels', 'POST', P, 'image/png', hugePng, 400, 'bad_input', /100000x100000 .* over the limit of 4\.2 megapixels/],
  ['invalid JSON', 'POST', P, 'application/json', '{"inputs": [1, 2', 400, 'bad_json', /not valid JSON/],
  ['NaN literal', 'POST', P, 'application/json', '{"inputs": [NaN]}', 400, 'bad_json', /not valid JSON/],
  ['empty JSON body', 'POST', P, 'application/json', '', 400, 'bad_json', /body is empty/],
  ['JSON with __proto__', 'POST', P, 'application/json', '{"inputs": [], "__proto__": {"admin": true}}', 400, 'bad_json', /__proto__/],
  ['JSON array at the top', 'POST', P, 'application/json', json([1, 2, 3]), 422, 'bad_value', /must be an object \{"inputs": \[\.\.\.\]\}, got an array of 3/],
  ['JSON without inputs', 'POST', P, 'application/json', json({ input: sample() }), 422, 'bad_value', /unknown field "input"/],
  ['a path in the JSON', 'POST', P, 'application/json', json({ inputs: sample(), file: '../../etc/passwd' }), 422, 'bad_value', /unknown field "file" in the JSON body; it takes only "inputs"/],
  ['wrong width', 'POST', P, 'application/json', withSample((s) => s[0][5].pop()), 422, 'bad_shape', /inputs\[0\]\[5\] must be an array of 28 .* got an array of 27/],
  ['flat vector', 'POST', P, 'application/json', json({ inputs: new Array(784).fill(0) }), 422, 'bad_shape', /nested arrays of shape \[1, 28, 28\] \(one sample\) or \[N, 1, 28, 28\] \(a batch\), got 1 levels/],
  ['too many levels', 'POST', P, 'application/json', json({ inputs: [[sample()]] }), 422, 'bad_shape', /got 5 levels/],
  ['a scalar', 'POST', P, 'application/json', json({ inputs: 3 }), 422, 'bad_shape', /got 3$/],
  ['batch over --max-batch', 'POST', P, 'application/json', json({ inputs: [sample(), sample(), sample(), sample(), sample()] }), 422, 'bad_shape', /1 to 4 samples .* got 5/],
  ['empty batch', 'POST', P, 'application/json', json({ inputs: [[], []] }), 422, 'bad_shape', /got 2 levels of nesting/],
  ['"NaN" as a string', 'POST', P, 'application/json', withSample((s) => (s[0][3][4] = 'NaN')), 422, 'bad_value', /inputs\[0\]\[3\]\[4\] must be a number, got the string "NaN"/],
  ['1e999 (infinity)', 'POST', P, 'application/json', withSample((s) => (s[0][1][2] = 'X')).replace('"X"', '1e999'), 422, 'bad_value', /inputs\[0\]\[1\]\[2\] must be finite, got Infinity/],
  ['null entry', 'POST', P, 'application/json', withSample((s) => (s[0][0][0] = null)), 422, 'bad_value', /must be a number, got null/],
  ['boolean entry', 'POST', P, 'application/json', withSample((s) => (s[0][0][1] = true)), 422, 'bad_value', /must be a number, got boolean/],
  ['invert on a JSON tensor', 'POST', `${P}?invert=1`, 'application/json', json({ inputs: sample() }), 422, 'bad_value', /invert applies to image bodies/],
  ['a path in the query', 'POST', `${P}?file=../../etc/passwd`, 'image/png', png, 400, 'bad_query', /unknown query parameter "file"; valid: topk, invert/],
  ['topk=0', 'POST', `${P}?topk=0`, 'image/png', png, 400, 'bad_query', /topk must be an integer from 1 to 10/],
  ['topk=11', 'POST', `${P}?topk=11`, 'image/png', png, 400, 'bad_query', /got "11"/],
  ['invert=maybe', 'POST', `${P}?invert=maybe`, 'image/png', png, 400, 'bad_query', /invert must be true, false, 1 or 0/],
  ['GET /v1/predict', 'GET', P, null, null, 405, 'method_not_allowed', /\/v1\/predict takes POST, not GET/],
  ['DELETE /healthz', 'DELETE', '/healthz', null, null, 405, 'method_not_allowed', /takes GET or HEAD/],
  ['PUT /metrics with a body', 'PUT', '/metrics', 'text/plain', 'x', 405, 'method_not_allowed', /takes GET or HEAD, not PUT/],
  ['dot-dot in the path', 'GET', '/v1/../../etc/passwd', null, null, 404, 'not_found', /no route GET/],
  ['encoded dot-dot in the path', 'GET', '/%2e%2e/%2e%2e/etc/passwd', null, null, 404, 'not_found', /no route GET/],
  ['a path after predict', 'POST', '/v1/predict/../../last.safetensors', 'image/png', png, 404, 'not_found', /POST \/v1\/predict, GET \/healthz and GET \/metrics/],
  ['unknown route', 'POST', '/v2/predict', 'image/png', png, 404, 'not_found', /no route POST \/v2\/predict/],
];

describe('each malformed request gets a 4xx JSON answer and the server keeps serving', () => {
  test(`the table holds ${cases.length} requests with distinct labels`, () => {
    assert.ok(cases.length >= 20);
    assert.equal(new Set(cases.map((c) => c[0])).size, cases.length);
  });
  for (const [label, method, url, type, body, status, error, message] of cases) {
    test(label, async () => {
      const r = await server.app.inject({
        method: method as 'POST', url, headers: type === null ? {} : { 'content-type': type },
        ...(body === null ? {} : { payload: typeof body === 'string' ? body : Buffer.from(body) }),
      });
      assert.equal(r.statusCode, status, r.body);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      const a = r.json() as Record<string, unknown>;
      assert.deepEqual(Object.keys(a).sort(), ['error', 'message']);
      assert.equal(a.error, error, r.body);
      assert.match(String(a.message), message);
      if (status === 405) assert.ok(r.headers.allow, 'an Allow header');
      const good = await server.app.inject({ method: 'POST', url: P, headers: { 'content-type': 'image/png' }, payload: Buffer.from(png) });
      assert.equal(good.statusCode, 200, `still serving after ${label}: ${good.body}`);
    });
  }
  test('the metrics count the answers by route and status', async () => {
    const text = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /shendu_http_requests_total\{method="POST",route="\/v1\/predict",status="415"\} [1-9]/);
    assert.match(text, /shendu_http_requests_total\{method="POST",route="\/v1\/predict",status="422"\} [1-9]/);
    assert.match(text, /shendu_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    assert.match(text, /shendu_http_requests_total\{method="POST",route="\/v1\/predict",status="200"\} [1-9]/);
  });
});

describe('the checkpoint is read from inside the run directory only', () => {
  const cases: [string, string, typeof ValueError | typeof DataError, RegExp][] = [
    ['parent directory', '../run/last', ValueError, /serve: checkpoint: file name "\.\.\/run\/last" must be a relative path without '\.', '\.\.' or empty parts/],
    ['absolute path', '/etc/passwd', ValueError, /must be a relative path/],
    ['dot part', './last', ValueError, /must be a relative path/],
    ['missing checkpoint', 'epoch99', DataError, /serve: no checkpoint "epoch99" in .*run \(expected .*epoch99\.safetensors\)/],
    ['symbolic link out of the run', 'escape', ValueError, /serve: checkpoint "escape" leads outside the run directory/],
  ];
  const outside = join(work, 'elsewhere');
  mkdirSync(outside, { recursive: true });
  copyFileSync(join(dir, 'last.safetensors'), join(outside, 'last.safetensors'));
  symlinkSync(join(outside, 'last.safetensors'), join(dir, 'escape.safetensors'));
  for (const [label, checkpoint, cls, re] of cases) {
    test(label, () => {
      expectError(() => createServer(dir, { checkpoint }), cls, re, label);
    });
  }
  test('a missing run directory and bad limits', () => {
    expectError(() => createServer(join(work, 'nope')), DataError, /serve: no run directory at .*nope/);
    expectError(() => createServer(dir, { maxBatch: 0 }), ValueError, /createServer: maxBatch must be a positive integer, got 0/);
    expectError(() => createServer(dir, { bodyLimit: 1.5 }), ValueError, /createServer: bodyLimit must be a positive integer, got 1\.5/);
  });
  test('a checkpoint by name inside the run serves', async () => {
    const s = serverOn(dir, { checkpoint: 'best' });
    const h = (await s.app.inject({ method: 'GET', url: '/healthz' })).json();
    assert.equal(h.checkpoint, 'best.safetensors');
  });
});
