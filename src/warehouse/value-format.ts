/**
 * Canonical text of dates and timestamps, whatever the driver printed: `YYYY-MM-DDTHH:MM:SS` plus six
 * fraction digits when there is a fraction, plus `Z` for instants. DuckDB's reader already produces this;
 * PostgreSQL and MariaDB print a space and trim trailing zeros, so they pass through here.
 *
 * @example canonicalTimestamp('2024-01-02 03:04:05.5+00', true) // '2024-01-02T03:04:05.500000Z'
 */
const TIMESTAMP_TEXT = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:Z|[+-]00(?::?00)?)?$/;

export function canonicalTimestamp(text: string, withZone: boolean): string {
  const m = TIMESTAMP_TEXT.exec(text);
  // Infinity, BC dates and other oddities are passed on as the engine wrote them.
  if (!m) return text;
  const fraction = m[3] && /[1-9]/.test(m[3]) ? `.${m[3].slice(0, 6).padEnd(6, '0')}` : '';
  return `${m[1]}T${m[2]}${fraction}${withZone ? 'Z' : ''}`;
}

/** A float as JSON allows it: NaN and ±Infinity become null. */
export function finiteOrNull(text: string | number): number | null {
  const n = typeof text === 'number' ? text : Number(text);
  return Number.isFinite(n) ? n : null;
}
