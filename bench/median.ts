// The medians the benches print, in one place: the usual one (mean of the two middle values when the count is
// even) for the HTTP tables, and the upper middle value for the in-process benches (odd round counts).

/** The median of `values`; the mean of the two middle ones when their count is even. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value at the middle of `values` sorted, the upper of the two when their count is even. */
export function upperMedian(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}
