/**
 * Terminal display width for the CLI's columns: East Asian Wide/Fullwidth and emoji are two columns, combining
 * marks and joiners none; truncation keeps whole grapheme clusters and never exceeds the width; and
 * `static-embed similarity` lines its table up with CJK, Japanese, Korean, emoji and combining marks in the texts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterWidth, displayWidth, fitToWidth, truncateToWidth } from '../../src/cli/io/display-width.js';
import { clip } from '../../src/cli/io/texts.js';
import { Random } from '../../src/math/random.js';
import { runCli } from '../helpers/cli.js';

test('display widths: wide, full/halfwidth, combining, joiners, selectors, emoji', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['abc', 3],
    ['我们明天去海边。', 16], // CJK ideographs and the ideographic full stop
    ['明日は海に行きます', 18], // kanji and hiragana
    ['カタカナ', 8],
    ['ｶﾀｶﾅ', 4], // halfwidth katakana
    ['내일 바다에 가요', 16], // Hangul syllables and ASCII spaces
    ['\u1100\u1161\u11a8', 2], // a Hangul syllable from conjoining jamo: one cluster
    ['ＡＢ！', 6], // fullwidth Latin and punctuation
    ['、「」', 6],
    ['e\u0301', 1], // e + combining acute
    ['Cafe\u0301 na\u0308ive', 10],
    ['مَرْحَبًا', 5], // Arabic letters with harakat
    ['नमस्ते', 4], // Devanagari: virama and vowel sign e are marks (0), consonants 1 each
    ['\u200b\u200c\u200d\u2060', 0], // zero-width space, non-joiner, joiner, word joiner
    ['\ufe0e\ufe0f', 0], // lone variation selectors
    ['😀', 2], // a surrogate pair
    ['👨‍👩‍👧', 2], // a ZWJ sequence is one cluster
    ['🇯🇵', 2], // a flag: two regional indicators
    ['❤️', 2], // text-default emoji with VS16
    ['❤', 1], // without VS16
    ['👍🏽', 2], // emoji with a skin-tone modifier
    ['1️⃣', 2], // keycap sequence
    ['Ω€…', 3], // narrow and East Asian Ambiguous: one column each
    ['\u0301', 0], // a combining mark with no base
  ];
  for (const [s, w] of cases) assert.equal(displayWidth(s), w, JSON.stringify(s));
  assert.equal(clusterWidth('我'), 2);
  assert.equal(clusterWidth('a'), 1);
  assert.equal(clusterWidth('\u200d'), 0);
});

describe('truncation', () => {
  test('truncateToWidth keeps whole clusters and ends in "…"', () => {
    assert.equal(truncateToWidth('我们明天去海边。', 16), '我们明天去海边。');
    assert.equal(truncateToWidth('我们明天去海边。', 15), '我们明天去海边…');
    assert.equal(truncateToWidth('我们明天去海边。', 14), '我们明天去海…');
    assert.equal(truncateToWidth('我们明天去海边。', 6), '我们…');
    assert.equal(truncateToWidth('我们明天去海边。', 5), '我们…');
    assert.equal(truncateToWidth('ab😀cd', 4), 'ab…'); // the emoji does not fit in the one column left
    assert.equal(truncateToWidth('Cafe\u0301 au lait', 5), 'Cafe\u0301…'); // the accent stays with its e
    assert.equal(truncateToWidth('abc', 0), '');
  });

  test('fitToWidth is exactly the width', () => {
    assert.equal(fitToWidth('我们明天去海边。', 5), '我们…');
    assert.equal(fitToWidth('我们明天去海边。', 6), '我们… ');
    assert.equal(fitToWidth('ab', 5), 'ab   ');
  });

  test('clip makes one line, truncated', () => {
    assert.equal(clip('  我们\n明天\t去海边。 ', 9), '我们 明…');
  });

  test('random texts: never over the width, no lone surrogates, fits exactly', () => {
    const pool = [
      'a',
      'Z',
      ' ',
      '我',
      '。',
      'Ａ',
      'ｶ',
      'e\u0301',
      '\u200d',
      '\ufe0f',
      '😀',
      '👨‍👩‍👧',
      '🇯🇵',
      '❤️',
      '한',
      'ё',
    ];
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const rng = new Random(7);
    for (let n = 0; n < 500; n++) {
      const s = Array.from({ length: rng.int(20) }, () => pool[rng.int(pool.length)]!).join('');
      for (let w = 0; w <= 24; w++) {
        const t = truncateToWidth(s, w);
        assert.ok(displayWidth(t) <= w, `${JSON.stringify(s)} at ${w}: ${JSON.stringify(t)}`);
        assert.doesNotMatch(t, lone);
        if (t !== s) assert.ok(w === 0 ? t === '' : t.endsWith('…') && s.startsWith(t.slice(0, -1)));
        if (w > 0) assert.equal(displayWidth(fitToWidth(s, w)), w);
      }
    }
  });
});

test('similarity: the table lines up with CJK, Korean, emoji and combining marks', async () => {
  const texts = [
    'We are going to the beach tomorrow.',
    '我们明天去海边。',
    '明日は海に行きます。',
    '내일 바다에 가요.',
    'Cafe\u0301 🏖️ 👨‍👩‍👧 na\u0308ive',
    '这是一个很长的中文句子，用来检查截断后的列宽是否仍然正确对齐。', // > 40 columns: truncated
  ];
  const r = await runCli(['similarity', ...texts]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const header = lines[2]!,
    rows = lines.slice(3);
  assert.equal(rows.length, texts.length);
  // every row as wide as the header, and the numbers (8 columns each) start in the same column in every row
  const starts = rows.map((line) => {
    assert.equal(displayWidth(line), displayWidth(header), `row ${JSON.stringify(line)} vs header`);
    const cells = line.slice(line.length - 8 * texts.length);
    assert.match(cells, new RegExp(`^(?: +-?\\d\\.\\d{4}){${texts.length}}$`), line);
    assert.match(cells, /^ /, 'cells are separated from the text');
    return displayWidth(line.slice(0, line.length - cells.length));
  });
  assert.equal(new Set(starts).size, 1, `cells start at columns ${starts.join(', ')}`);
  assert.match(rows[1]!, /^\[2\] {3}我们明天去海边。 /);
  assert.match(rows[5]!, /…/); // the long text is cut, and its column is still 40 wide
  assert.equal(starts[0], 6 + 40);
});

test('mine: every second text starts in one column, with CJK and emoji in the first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-width-'));
  try {
    const file = join(dir, 'texts.txt');
    const texts = [
      '我们明天去海边。',
      'We are going to the beach tomorrow.',
      '明日は海に行きます。',
      '내일 바다에 가요.',
      'Tomorrow we go to the sea 🏖️',
      '这是一个很长的中文句子，用来检查截断后的列宽是否仍然正确对齐，而且比五十列还要长。',
    ];
    writeFileSync(file, texts.join('\n') + '\n');
    const r = await runCli(['mine', '--input', file, '--top-k', '3']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 5, r.stdout);
    const at = lines.map((l) => displayWidth(l.slice(0, l.indexOf('  <->  '))));
    assert.equal(new Set(at).size, 1, `"<->" at columns ${at.join(', ')}:\n${r.stdout}`);
    assert.ok(lines.every((l) => displayWidth(l.split('  <->  ')[1]!.replace(/^\[\d+\] /, '')) <= 50));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
