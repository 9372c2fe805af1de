/** Sentences packed into chunks of at most N tokens, with an overlap of whole sentences. */

/**
 * Groups of consecutive sentences [first, last) whose token counts add up to at most `maxTokens` (a sentence
 * longer than that is a group of its own); with `overlap`, each group after the first also repeats the sentences
 * before it that fit in `overlap` tokens.
 */
export function packSentences(counts: ArrayLike<number>, maxTokens: number, overlap = 0): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  const n = counts.length;
  let i = 0;
  while (i < n) {
    let j = i,
      sum = 0;
    while (j < n && (j === i || sum + counts[j]! <= maxTokens)) sum += counts[j++]!;
    groups.push([i, j]);
    if (j >= n) break;
    let back = j,
      o = 0;
    while (back - 1 > i && o + counts[back - 1]! <= overlap && sum - counts[back - 1]! >= 0) o += counts[--back]!;
    i = back;
  }
  return groups;
}
