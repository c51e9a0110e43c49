/**
 * The structural rules of §2.4 on the design-spec schema alone: every problem reported at once with its
 * path, cluster fields (together, preassigned only, no strata), metric cluster shape all-or-none, arm
 * weights, dates, and the automatic `excludes [null]` on the cluster key.
 */
import { describe, expect, it } from 'vitest';
import { DesignSpecSchema, effectiveFilters } from '../../src/domain/design-spec.ts';

const BASE = {
  experiment_type: 'freq_preassigned',
  experiment_name: 'x',
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2026-02-01T00:00:00Z',
  arms: [{ arm_name: 'a' }, { arm_name: 'b' }],
  table_name: 't',
  primary_key: 'id',
  metrics: [{ field_name: 'm', metric_pct_change: 0.1 }],
  desired_n: 100,
};

const paths = (input: unknown) => {
  const r = DesignSpecSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('design spec', () => {
  it('accepts a plain and a cluster design', () => {
    expect(paths(BASE)).toEqual([]);
    const { desired_n: _n, ...noN } = BASE;
    expect(paths({ ...noN, cluster_key: 'school', desired_n_clusters: 10 })).toEqual([]);
  });

  it('reports every problem at once with its path', () => {
    expect(
      paths({
        ...BASE,
        arms: [{ arm_name: 'a', arm_weight: 60, arm_id: 'arm_x' }, { arm_name: 'b', arm_weight: 30 }],
        end_date: '2025-01-01T00:00:00Z',
        strata: [{ field_name: 'id' }, { field_name: '9bad' }],
        metrics: [{ field_name: 'm', metric_pct_change: 0.1, metric_target: 2, icc: 0.1 }],
        design_url: 'ftp://x',
      }).sort(),
    ).toEqual(
      ['arms', 'arms.0.arm_id', 'design_url', 'end_date', 'metrics.0.avg_cluster_size', 'metrics.0.cv', 'metrics.0.metric_target', 'strata.0.field_name', 'strata.1.field_name'].sort(),
    );
  });

  it('requires cluster_key and desired_n_clusters together, forbids strata with them and keeps them off online designs', () => {
    const { desired_n: _n, ...noN } = BASE;
    expect(paths({ ...noN, cluster_key: 'school' })).toEqual(['desired_n_clusters']);
    expect(paths({ ...BASE, desired_n_clusters: 3 })).toEqual(['desired_n_clusters']);
    expect(paths({ ...noN, cluster_key: 'school', desired_n_clusters: 3, strata: [{ field_name: 'g' }] })).toEqual(['strata']);
    expect(paths({ ...noN, cluster_key: 'id', desired_n_clusters: 3 })).toEqual(['cluster_key']);
    expect(paths({ ...noN, cluster_key: 'school', desired_n_clusters: 0 })).toEqual(['desired_n_clusters']);
    expect(paths({ ...BASE, experiment_type: 'freq_online', cluster_key: 'school', desired_n_clusters: 3 })).toEqual(['']);
    expect(paths(noN)).toEqual(['desired_n']);
  });

  it('takes icc, avg_cluster_size and cv all three or none, in range', () => {
    expect(paths({ ...BASE, metrics: [{ field_name: 'm', icc: 0.1, avg_cluster_size: 10, cv: 0.5 }] })).toEqual([]);
    expect(paths({ ...BASE, metrics: [{ field_name: 'm', icc: 0.1, cv: 0.5 }] })).toEqual(['metrics.0.avg_cluster_size']);
    expect(paths({ ...BASE, metrics: [{ field_name: 'm', icc: 1.5, avg_cluster_size: 0.5, cv: -1 }] }).sort()).toEqual(['metrics.0.avg_cluster_size', 'metrics.0.cv', 'metrics.0.icc']);
  });

  it('adds excludes [null] on the cluster key to the effective filters only', () => {
    const { desired_n: _n, ...noN } = BASE;
    const spec = DesignSpecSchema.parse({ ...noN, cluster_key: 'school', desired_n_clusters: 3, filters: [{ field_name: 'g', relation: 'includes', value: ['x'] }] });
    expect(spec.filters).toHaveLength(1);
    expect(effectiveFilters(spec)).toEqual([...spec.filters, { field_name: 'school', relation: 'excludes', value: [null] }]);
    const plain = DesignSpecSchema.parse(BASE);
    expect(effectiveFilters(plain)).toEqual([]);
  });
});
