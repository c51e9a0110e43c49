import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { IntervalPlot } from './IntervalPlot.tsx';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

describe('charts', () => {
  it('an interval plot is one named image with its numbers in a table', () => {
    const { container } = render(
      <IntervalPlot
        title="Effect on donated"
        reference={0}
        format={pct}
        rows={[
          { key: 'a', label: 'Control', estimate: 0.1, lower: 0.08, upper: 0.12, tone: 'baseline' },
          { key: 'b', label: 'Reminder', estimate: 0.03, lower: 0.01, upper: 0.05, tone: 'better' },
          { key: 'c', label: 'No data', estimate: null, lower: null, upper: null },
        ]}
      />,
    );
    expect(screen.getByRole('img', { name: 'Effect on donated' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Effect on donated' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['EstimateInterval', 'Control10.0%8.0% to 12.0%', 'Reminder3.0%1.0% to 5.0%', 'No data——']);
    // Two rows with numbers get a dot; the empty one does not.
    expect(container.querySelectorAll('circle.chart-point')).toHaveLength(2);
    expect(container.querySelector('.chart-tone-better')).not.toBeNull();
  });

  it('a time series breaks its line at gaps and lists every instant', () => {
    const t = Date.UTC(2026, 10, 1);
    const { container } = render(
      <TimeSeriesChart
        title="Share of traffic"
        formatY={pct}
        yDomain={[0, 1]}
        series={[
          { key: 'a', label: 'A', points: [{ t, y: 0.5 }, { t: t + 3_600_000, y: null }, { t: t + 7_200_000, y: 0.7, lower: 0.6, upper: 0.8 }] },
          { key: 'b', label: 'B', points: [{ t, y: 0.5 }, { t: t + 7_200_000, y: 0.3 }] },
        ]}
      />,
    );
    const paths = [...container.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
    // Series A: two separate moves (the gap lifts the pen), no band (only one banded point).
    expect(paths[0]!.match(/M/g)).toHaveLength(2);
    expect(within(screen.getByRole('table', { name: 'Share of traffic' })).getAllByRole('row')).toHaveLength(4);
    expect(screen.getByRole('list', { name: 'Legend of Share of traffic' }).textContent).toBe('AB');
  });

  it('labels points seconds apart by their seconds, each label once', () => {
    const t = Date.UTC(2026, 10, 1, 10, 0, 5);
    const { container } = render(<TimeSeriesChart title="Snapshots" formatY={String} series={[{ key: 'a', label: 'A', points: [{ t, y: 1 }, { t: t + 1500, y: 2 }] }]} />);
    const seconds = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const ticks = [...container.querySelectorAll('text.chart-tick')].map((e) => e.textContent ?? '').filter((l) => l.includes(':'));
    // Five ticks over 1.5 s fall in two seconds: :05 and :06, once each.
    expect(ticks).toEqual([seconds(t), seconds(t + 1000)]);
  });
});
