/** The code-unit hash table against a Map (contract test), with growth and collisions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeUnitTable, hashUnits } from '../../src/tokenizer/code-unit-table.js';

test('CodeUnitTable agrees with a Map over many random keys, through growth and clear', () => {
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const table = new CodeUnitTable(4);
  const map = new Map<string, number>();
  const buf = new Uint16Array(64);
  const keyOf = (len: number) => {
    for (let i = 0; i < len; i++) buf[i] = rand() < 0.9 ? 97 + Math.floor(rand() * 4) : Math.floor(rand() * 65536);
    return String.fromCharCode(...buf.subarray(0, len));
  };
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 20000; i++) {
      const len = 1 + Math.floor(rand() * 6);
      const key = keyOf(len);
      const h = hashUnits(buf, 0, len);
      const got = table.get(buf, 0, len, h);
      assert.equal(got, map.get(key) ?? -1);
      if (got < 0) {
        table.insert(buf, 0, len, h, i);
        map.set(key, i);
      }
    }
    assert.equal(table.size, map.size);
    table.clear();
    map.clear();
  }
});
