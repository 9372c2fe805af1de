/**
 * ByteLevel's GPT-2 split as a scanner over the reference's own character classes.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import type { Segment } from './split.js';
import { Flag, flagsOf } from './unicode.js';

const L = 1,
  N = 2,
  S = 3,
  O = 4;
const CONTRACTIONS = ['s', 't', 're', 've', 'm', 'll', 'd'];

export function gpt2Segments(s: string): Segment[] {
  const cps: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    cps.push(cp);
    pos.push(i);
    i += cp > 0xffff ? 2 : 1;
  }
  pos.push(s.length);
  const n = cps.length;
  const cls = (k: number): number => {
    const fl = flagsOf(cps[k]!);
    return fl & Flag.OnigL ? L : fl & Flag.OnigN ? N : fl & Flag.OnigS ? S : O;
  };
  const out: Segment[] = [];
  let i = 0;
  while (i < n) {
    let end = -1;
    if (cps[i] === 0x27) {
      for (const c of CONTRACTIONS) {
        let ok = true;
        for (let k = 0; ok && k < c.length; k++) ok = i + 1 + k < n && cps[i + 1 + k] === c.charCodeAt(k);
        if (ok) {
          end = i + 1 + c.length;
          break;
        }
      }
    }
    if (end < 0) {
      for (const want of [L, N, O]) {
        let j = i;
        if (cps[j] === 0x20 && j + 1 < n) j++;
        if (cls(j) !== want) {
          if (j === i) continue;
          // the optional space could not be followed by the class: try without it
          j = i;
          if (cls(j) !== want) continue;
        }
        while (j < n && cls(j) === want) j++;
        end = j;
        break;
      }
    }
    if (end < 0) {
      // \s+(?!\S) then \s+
      let k = i;
      while (k < n && cls(k) === S) k++;
      end = k === n || k - 1 === i ? k : k - 1;
    }
    out.push([pos[i]!, pos[end]!, true]);
    i = end;
  }
  return out;
}
