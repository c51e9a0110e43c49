/** Warehouse drivers as people name them; every screen that shows a datasource's type uses this. */
const DRIVER_LABELS: Readonly<Record<string, string>> = {
  none: 'No warehouse',
  duckdb: 'DuckDB',
  postgres: 'PostgreSQL',
  redshift: 'Redshift',
  mariadb: 'MariaDB / MySQL',
  bigquery: 'BigQuery',
};

export function driverLabel(driver: string): string {
  return DRIVER_LABELS[driver] ?? driver;
}
