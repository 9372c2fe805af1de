/** Counts in words: "1 text", "2 texts", "1,024 rows" (en-US digit grouping). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
