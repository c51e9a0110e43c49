/**
 * Lines over time, one per series (an arm), each with an optional shaded band (its confidence or credible
 * interval). Used for snapshot history, posteriors over time and traffic shares. Times are epoch
 * milliseconds; a gap (`y: null`) breaks the line instead of drawing through it.
 */
import { ChartFrame } from './ChartFrame.tsx';
import { linearScale, niceDomain, seriesColour, timeTicks } from './scale.ts';

export interface SeriesPoint {
  readonly t: number;
  readonly y: number | null;
  readonly lower?: number | null;
  readonly upper?: number | null;
}

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly points: readonly SeriesPoint[];
}

export interface TimeSeriesChartProps {
  readonly title: string;
  readonly caption?: React.ReactNode;
  readonly series: readonly Series[];
  readonly formatY: (value: number) => string;
  /** Values the y axis must include, e.g. 0 for counts and effects. */
  readonly yInclude?: readonly number[];
  /** Fixed y domain, e.g. [0, 1] for shares. */
  readonly yDomain?: readonly [number, number];
  /** Heading of the numbers table's first column. */
  readonly timeHeading?: string;
}

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 64;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 34;

/** Points closer than this (snapshots taken by hand, one after another) are told apart by their seconds. */
const SECONDS_SPAN_MS = 10 * 60_000;

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Short time labels: clock times within a day or two (with seconds within minutes), dates beyond. */
export function formatTick(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs < SECONDS_SPAN_MS) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (spanMs <= 2 * 86_400_000) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function linePaths(points: readonly SeriesPoint[], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!finite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function bandPath(points: readonly SeriesPoint[], x: (v: number) => number, y: (v: number) => number): string {
  const banded = points.filter((p) => finite(p.lower) && finite(p.upper));
  if (banded.length < 2) return '';
  const top = banded.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.upper!).toFixed(1)}`).join('');
  const bottom = [...banded]
    .reverse()
    .map((p) => `L${x(p.t).toFixed(1)},${y(p.lower!).toFixed(1)}`)
    .join('');
  return `${top}${bottom}Z`;
}

export function TimeSeriesChart({ title, caption, series, formatY, yInclude = [], yDomain, timeHeading = 'Time' }: TimeSeriesChartProps) {
  const all = series.flatMap((s) => s.points);
  const times = all.map((p) => p.t).filter(Number.isFinite);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const nice = yDomain
    ? { domain: [yDomain[0], yDomain[1]] as [number, number], ticks: niceDomain([...yDomain], 4).ticks.filter((t) => t >= yDomain[0] && t <= yDomain[1]) }
    : niceDomain(
        all.flatMap((p) => [p.y, p.lower, p.upper]).filter(finite),
        4,
        yInclude,
      );
  const x = linearScale(t0 === t1 ? [t0 - 1, t1 + 1] : [t0, t1], [LEFT, WIDTH - RIGHT]);
  const y = linearScale(nice.domain, [HEIGHT - BOTTOM, TOP]);
  const span = t1 - t0;
  const allTimes = [...new Set(times)].sort((a, b) => a - b);
  const fmtY = (v: number | null | undefined) => (finite(v) ? formatY(v) : '—');

  return (
    <>
      <ChartFrame
        title={title}
        caption={caption}
        width={WIDTH}
        height={HEIGHT}
        table={{
          head: [timeHeading, ...series.map((s) => s.label)],
          rows: allTimes.map((t) => [
            new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: span < SECONDS_SPAN_MS ? 'medium' : 'short' }),
            ...series.map((s) => {
              const p = s.points.find((q) => q.t === t);
              if (!p) return '—';
              return finite(p.lower) && finite(p.upper) ? `${fmtY(p.y)} (${fmtY(p.lower)} to ${fmtY(p.upper)})` : fmtY(p.y);
            }),
          ]),
        }}
      >
        <g className="chart-grid" aria-hidden="true">
          {nice.ticks.map((v) => (
            <g key={v}>
              <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(v)} y2={y(v)} />
              <text x={LEFT - 8} y={y(v) + 4} textAnchor="end" className="chart-tick">
                {formatY(v)}
              </text>
            </g>
          ))}
          {(times.length ? timeTicks(t0, t1, span > 0 ? 5 : 1) : [])
            // A label equal to the one before it says nothing new (ticks closer than the labels' resolution).
            .filter((t, i, all) => i === 0 || formatTick(t, span) !== formatTick(all[i - 1]!, span))
            .map((t, i) => (
              <text key={i} x={x(t)} y={HEIGHT - BOTTOM + 20} textAnchor={i === 0 && span > 0 ? 'start' : 'middle'} className="chart-tick">
                {formatTick(t, span)}
              </text>
            ))}
        </g>
        {series.map((s, i) => {
          const colour = seriesColour(i);
          const band = bandPath(s.points, x, y);
          const drawn = s.points.filter((p) => finite(p.y));
          return (
            <g key={s.key} aria-hidden="true">
              {band && <path d={band} fill={colour} fillOpacity={0.14} stroke="none" />}
              <path d={linePaths(s.points, x, y)} fill="none" stroke={colour} strokeWidth={2.25} strokeLinejoin="round" />
              {drawn.length <= 60 && drawn.map((p) => <circle key={p.t} cx={x(p.t)} cy={y(p.y!)} r={3} fill={colour} />)}
            </g>
          );
        })}
      </ChartFrame>
      <ul className="chart-legend" aria-label={`Legend of ${title}`}>
        {series.map((s, i) => (
          <li key={s.key}>
            <span className="chart-swatch" style={{ background: seriesColour(i) }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
    </>
  );
}
