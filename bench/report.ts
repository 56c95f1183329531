/** Statistics and Markdown tables shared by the benchmarks. */

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
/** The median of sorted values. */
export const median = (s: readonly number[]): number => {
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Milliseconds with a precision that suits their size. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 100) return `${v.toFixed(2)} ms`;
  return `${v.toFixed(0)} ms`;
}
/** Milliseconds shown as microseconds. */
export function us(v: number): string {
  return `${(v * 1000).toFixed(2)} µs`;
}
/** A ratio, as in "105×". */
export function times(v: number): string {
  return v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(1)}×`;
}
/** An integer with thousands separators. */
export function int(v: number): string {
  return v.toLocaleString('en-US');
}

/** Prints rows as a Markdown table (so it can be pasted into docs/performance.md). */
export function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n, i) => (i === 0 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('');
}
