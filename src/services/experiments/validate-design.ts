/**
 * The design checks that need the live table: every referenced column (primary key, strata, cluster key,
 * metrics, filters) exists with a usable type, the primary key can identify participants, metrics are boolean or numeric, and filter values fit their
 * columns. All problems are reported together, each with its JSON path.
 */
import { clusterKeyOf, type DesignSpec } from '../../domain/design-spec.ts';
import { ValidationError, type ValidationIssue } from '../../domain/errors.ts';
import { validateFilters } from '../../warehouse/filter-values.ts';
import type { ColumnType, TableInfo } from '../../warehouse/warehouse.ts';

const ID_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'uuid', 'string']);
const METRIC_TYPES: ReadonlySet<ColumnType> = new Set(['boolean', 'integer', 'bigint', 'float', 'decimal']);

/** Returns the type of every referenced column, or throws one 422 listing every problem. */
export function validateDesignAgainstTable(spec: DesignSpec, table: TableInfo): Record<string, ColumnType> {
  const columns = new Map(table.columns.map((c) => [c.name, c.type]));
  const issues: ValidationIssue[] = [];
  const types: Record<string, ColumnType> = {};
  const at = (...path: (string | number)[]) => ['body', 'design_spec', ...path];

  const need = (field: string, loc: (string | number)[], allowed?: ReadonlySet<ColumnType>, what?: string) => {
    const type = columns.get(field);
    if (type === undefined) {
      issues.push({ loc, msg: `column '${field}' does not exist in table '${table.name}'`, type: 'late' });
    } else if (type === 'unsupported') {
      issues.push({ loc, msg: `column '${field}' has a type Equipoise cannot use`, type: 'late' });
    } else if (allowed && !allowed.has(type)) {
      issues.push({ loc, msg: `column '${field}' is ${type}; ${what}`, type: 'late' });
    } else {
      types[field] = type;
    }
  };

  need(spec.primary_key, at('primary_key'), ID_TYPES, 'a participant id must be an integer, bigint, uuid or string column');
  spec.strata.forEach((s, i) => need(s.field_name, at('strata', i, 'field_name')));
  const clusterKey = clusterKeyOf(spec);
  if (clusterKey !== null) need(clusterKey, at('cluster_key'));
  spec.metrics.forEach((m, i) =>
    need(m.field_name, at('metrics', i, 'field_name'), METRIC_TYPES, 'only boolean or numeric data types are supported as metrics'),
  );
  // Covariates (issue 11): pre-treatment columns the analysis adjusts for. The id, the cluster key and the
  // metrics themselves cannot be their own adjustment.
  const metricNames = new Set(spec.metrics.map((m) => m.field_name));
  (spec.covariates ?? []).forEach((c, i) => {
    const loc = at('covariates', i, 'field_name');
    if (c.field_name === spec.primary_key) issues.push({ loc, msg: 'the primary key cannot be a covariate', type: 'late' });
    else if (c.field_name === clusterKey) issues.push({ loc, msg: 'the cluster key cannot be a covariate', type: 'late' });
    else if (metricNames.has(c.field_name)) issues.push({ loc, msg: `'${c.field_name}' is a metric; a covariate must be measured before assignment`, type: 'late' });
    else need(c.field_name, loc);
  });
  // Filters are checked by the warehouse layer's validator, which also reports unknown columns.
  const usable: Record<string, ColumnType> = Object.fromEntries(
    table.columns.filter((c) => c.type !== 'unsupported').map((c) => [c.name, c.type]),
  );
  for (const issue of validateFilters(spec.filters, usable)) issues.push({ ...issue, loc: at('filters', ...issue.loc) });
  for (const f of spec.filters) {
    const type = usable[f.field_name];
    if (type) types[f.field_name] = type;
  }

  if (issues.length > 0) throw new ValidationError(issues);
  return types;
}
