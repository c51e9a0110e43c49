/**
 * A forest plot: one row per item (an arm, a metric), a dot at the estimate and a bar across its interval
 * (confidence or credible), against a dashed reference line (0 for "no difference"). Used for effect
 * estimates and for bandit posteriors.
 */
import { ChartFrame } from './ChartFrame.tsx';
import { linearScale, niceDomain } from './scale.ts';

/** How a row is drawn: the baseline, a clear improvement or worsening, or nothing clear. */
export type IntervalTone = 'baseline' | 'better' | 'worse' | 'neutral';

export interface IntervalRow {
  readonly key: string;
  readonly label: string;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly tone?: IntervalTone;
}

export interface IntervalPlotProps {
  readonly title: string;
  readonly caption?: React.ReactNode;
  readonly rows: readonly IntervalRow[];
  /** Drawn as a dashed vertical line and always inside the axis, e.g. 0. */
  readonly reference?: number;
  readonly referenceLabel?: string;
  readonly format: (value: number) => string;
  /** Column headings of the numbers table. */
  readonly columns?: { readonly estimate: string; readonly interval: string };
}

const WIDTH = 640;
const LABEL_WIDTH = 170;
const ROW_HEIGHT = 34;
const TOP = 12;
const AXIS_HEIGHT = 30;
const RIGHT = 24;

const TONE_CLASS: Record<IntervalTone, string> = {
  baseline: 'chart-tone-baseline',
  better: 'chart-tone-better',
  worse: 'chart-tone-worse',
  neutral: 'chart-tone-neutral',
};

function truncate(label: string, max = 24): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export function IntervalPlot({ title, caption, rows, reference, referenceLabel, format, columns }: IntervalPlotProps) {
  const values = rows.flatMap((r) => [r.estimate, r.lower, r.upper]).filter((v): v is number => v !== null && Number.isFinite(v));
  const { domain, ticks } = niceDomain(values, 5, reference === undefined ? [] : [reference]);
  const height = TOP + rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const x = linearScale(domain, [LABEL_WIDTH, WIDTH - RIGHT]);
  const axisY = TOP + rows.length * ROW_HEIGHT;
  const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : format(v));

  return (
    <ChartFrame
      title={title}
      caption={caption}
      width={WIDTH}
      height={height}
      table={{
        head: ['', columns?.estimate ?? 'Estimate', columns?.interval ?? 'Interval'],
        rows: rows.map((r) => [r.label, fmt(r.estimate), r.lower === null || r.upper === null ? '—' : `${fmt(r.lower)} to ${fmt(r.upper)}`]),
      }}
    >
      <g className="chart-grid" aria-hidden="true">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP} y2={axisY} />
            <text x={x(t)} y={axisY + 18} textAnchor="middle" className="chart-tick">
              {format(t)}
            </text>
          </g>
        ))}
      </g>
      {reference !== undefined && (
        <g className="chart-reference" aria-hidden="true">
          <line x1={x(reference)} x2={x(reference)} y1={TOP - 6} y2={axisY} />
          {referenceLabel && (
            <text x={x(reference) + 4} y={TOP + 2} className="chart-tick">
              {referenceLabel}
            </text>
          )}
        </g>
      )}
      {rows.map((r, i) => {
        const cy = TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2;
        const tone = TONE_CLASS[r.tone ?? 'neutral'];
        const has = (v: number | null): v is number => v !== null && Number.isFinite(v);
        return (
          <g key={r.key} className={`chart-row ${tone}`} aria-hidden="true">
            <text x={LABEL_WIDTH - 12} y={cy + 4} textAnchor="end" className="chart-label">
              {truncate(r.label)}
            </text>
            {has(r.lower) && has(r.upper) && <line x1={x(r.lower)} x2={x(r.upper)} y1={cy} y2={cy} className="chart-interval" />}
            {has(r.lower) && has(r.upper) && (
              <>
                <line x1={x(r.lower)} x2={x(r.lower)} y1={cy - 6} y2={cy + 6} className="chart-interval" />
                <line x1={x(r.upper)} x2={x(r.upper)} y1={cy - 6} y2={cy + 6} className="chart-interval" />
              </>
            )}
            {has(r.estimate) && <circle cx={x(r.estimate)} cy={cy} r={5.5} className="chart-point" />}
          </g>
        );
      })}
    </ChartFrame>
  );
}
