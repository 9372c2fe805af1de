/** ASCII's flags and lowercase come without decoding the Unicode tables, and equal what the tables hold. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charFlags, flagsOf, lowercaseOf, nfdOf } from '../../src/tokenizer/unicode.js';

test('ASCII flags equal the decoded table’s', () => {
  const t = charFlags();
  for (let cp = 0; cp < 128; cp++) assert.equal(flagsOf(cp), t.data[(t.blocks[cp >>> 7]! << 7) | cp], `U+${cp}`);
});

test('ASCII lowercase equals the table’s (A–Z only), and the table starts past ASCII', () => {
  for (let cp = 0; cp < 128; cp++) {
    const lower = String.fromCodePoint(cp).toLowerCase().codePointAt(0)!;
    assert.deepEqual(lowercaseOf(cp), lower === cp ? undefined : [lower], `U+${cp}`);
  }
  assert.deepEqual(lowercaseOf(0xc9), [0xe9]);
  assert.equal(nfdOf(0x41), undefined);
});
