/**
 * The arithmetic behind the charts, kept pure so it is unit-tested: mapping values to pixels and choosing
 * round tick values a person can read ("0, 0.05, 0.1", not "0.0437…").
 */

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/**
 * A step of 1, 2 or 5 times a power of ten giving about `count` intervals over the span. The raw step is
 * rounded to the nearest of those on a log scale (thresholds √2, √10, √50), so the tick count stays near
 * `count` instead of always rounding up to fewer, coarser ticks.
 */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction >= Math.SQRT2 * 5 ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.SQRT2 ? 2 : 1;
  return nice * power;
}

/**
 * The domain widened to round values, and the ticks inside it. Non-finite inputs are ignored; an empty or
 * single-valued input gets a small domain around its value so there is still something to draw.
 */
export function niceDomain(values: readonly number[], count = 5, include: readonly number[] = []): { domain: [number, number]; ticks: number[] } {
  const finite = [...values, ...include].filter((v) => Number.isFinite(v));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Rounding to the step's decimals keeps 0.30000000000000004 out of the labels.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { domain: [start, end], ticks };
}

/** Time ticks: about `count` evenly spaced instants between the first and the last, inclusive. */
export function timeTicks(t0: number, t1: number, count = 5): number[] {
  if (t1 <= t0) return [t0];
  const n = Math.max(1, count - 1);
  return Array.from({ length: n + 1 }, (_, i) => t0 + ((t1 - t0) * i) / n);
}

/** Categorical colours for arms, distinguishable in light and dark mode and for common colour blindness. */
export const SERIES_COLOURS = ['#3a6fd9', '#d9653a', '#1e8a5a', '#9b4dca', '#b58900', '#0a8fa3', '#c2185b', '#6d7b8d'] as const;

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}
