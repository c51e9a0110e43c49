/**
 * The shared statements bind values positionally; the BigQuery dialect writes them as `@p1`, `@p2`, …
 * This turns the positional list into the REST API's named `queryParameters`, built here rather than by
 * the client's `params`/`types` helper: that helper infers types from JS values (and cannot for an empty
 * array), sends numbers as JSON numbers where the API documents strings, and copies its `types` option
 * into the job configuration. Here every parameter has an explicit type and a string value.
 */
import { WarehouseError } from '../domain/errors.ts';

/** One entry of `configuration.query.queryParameters`, as the REST API defines it. */
export interface BigQueryQueryParameter {
  readonly name: string;
  readonly parameterType: { readonly type: string; readonly arrayType?: { readonly type: string } };
  readonly parameterValue: { readonly value?: string; readonly arrayValues?: readonly { readonly value: string }[] };
}

function scalar(name: string, type: string, value: string): BigQueryQueryParameter {
  return { name, parameterType: { type }, parameterValue: { value } };
}

/**
 * @example namedBigQueryParams(['US', 3, ['1', '2']])
 * // [{ name: 'p1', parameterType: { type: 'STRING' }, parameterValue: { value: 'US' } },
 * //  { name: 'p2', parameterType: { type: 'INT64' }, parameterValue: { value: '3' } },
 * //  { name: 'p3', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [{ value: '1' }, { value: '2' }] } }]
 */
export function namedBigQueryParams(positional: readonly unknown[]): BigQueryQueryParameter[] {
  return positional.map((value, i) => {
    const name = `p${i + 1}`;
    if (typeof value === 'string') return scalar(name, 'STRING', value);
    if (typeof value === 'boolean') return scalar(name, 'BOOL', value ? 'true' : 'false');
    if (typeof value === 'number' && Number.isFinite(value)) return scalar(name, Number.isSafeInteger(value) ? 'INT64' : 'FLOAT64', String(value));
    if (Array.isArray(value)) {
      // Id batches: the dialect casts each element to the column's type inside the statement.
      return { name, parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: value.map((v) => ({ value: String(v) })) } };
    }
    // The statement builders only bind the kinds above; anything else is a bug, not user input.
    throw new WarehouseError('warehouse_unavailable', `BigQuery parameter @${name} has an unsupported kind (${value === null ? 'null' : typeof value}).`);
  });
}
