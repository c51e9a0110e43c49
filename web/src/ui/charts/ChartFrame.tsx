/**
 * What every chart shares: a `<figure>` whose SVG is one labelled image, a visible caption saying what it
 * shows, and the numbers behind it as a table folded under "Show the numbers" (for screen readers, for
 * copying, and so tests can read exact values).
 */
import { useId, type ReactNode } from 'react';

export interface ChartFrameProps {
  /** Short accessible name of the chart, e.g. "Effect on donated, by arm". */
  readonly title: string;
  /** One or two plain sentences under the chart: how to read it. */
  readonly caption?: ReactNode;
  readonly width: number;
  readonly height: number;
  readonly table: { readonly head: readonly string[]; readonly rows: readonly (readonly ReactNode[])[] };
  readonly children: ReactNode;
}

export function ChartFrame({ title, caption, width, height, table, children }: ChartFrameProps) {
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <svg viewBox={`0 0 ${width} ${height}`} className="chart-svg" role="img" aria-labelledby={`${id}-title`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{title}</title>
        {children}
      </svg>
      {caption && <figcaption className="chart-caption">{caption}</figcaption>}
      <details className="chart-numbers">
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.head.map((h, i) => (
                  <th key={i} scope="col" className={i > 0 ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={i} className="num">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
