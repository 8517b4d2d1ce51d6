/** The median of a bench's samples (the upper middle one of an even count): robust to one noisy round. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
