/** Pure figures of the reports (no I/O): percentiles, CSAT, response-time buckets, local days. */
import { isValidLocalDate, localParts, zonedInstant } from '../domain/business-hours';

/** Percentile with linear interpolation between the closest ranks (PostgreSQL's `percentile_cont`); null for no values. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numerically without a comparator call per comparison.
  const sorted = Float64Array.from(values).sort();
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Rounded to one decimal (minutes, averages), null stays null. */
export function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** Upper bounds (minutes, excluded) of the first-response distribution's buckets; the last is open. */
export const RESPONSE_BUCKETS: readonly { key: string; label: string; under: number }[] = [
  { key: 'lt_5m', label: 'Menos de 5 min', under: 5 },
  { key: '5_15m', label: '5 a 15 min', under: 15 },
  { key: '15_60m', label: '15 min a 1 h', under: 60 },
  { key: '1_4h', label: '1 a 4 h', under: 240 },
  { key: '4_24h', label: '4 a 24 h', under: 1440 },
  { key: 'gte_24h', label: '24 h o más', under: Number.POSITIVE_INFINITY },
];

export function responseBucket(minutes: number): string {
  return (RESPONSE_BUCKETS.find((bucket) => minutes < bucket.under) ?? RESPONSE_BUCKETS[RESPONSE_BUCKETS.length - 1]).key;
}

/** The local calendar day (`YYYY-MM-DD`) of an instant in the zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = localParts(instant, timeZone);
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

/** The instant a local day starts in the zone. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return zonedInstant(timeZone, year, month, date, 0);
}

/** The day after a `YYYY-MM-DD` day. */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/**
 * The local days of a report's period with the instant each starts, so that an instant in the period
 * finds its day by a binary search rather than a time-zone conversion. Falls back to `localDay` when the
 * zone's midnights do not line up (a zone changing its clock at midnight).
 */
export class LocalDayIndex {
  private readonly days: string[];
  private readonly starts: number[];
  private readonly exact: boolean;

  constructor(
    from: string,
    to: string,
    private readonly timeZone: string,
  ) {
    this.days = daysBetween(from, to);
    this.starts = [...this.days, nextDay(to)].map((day) => startOfLocalDay(day, timeZone).getTime());
    this.exact = this.days.every((day, index) => this.starts[index] < this.starts[index + 1] && localDay(new Date(this.starts[index]), timeZone) === day);
  }

  /** The local day of the instant (`YYYY-MM-DD`). */
  dayOf(instant: Date): string {
    const time = instant.getTime();
    if (!this.exact || time < this.starts[0] || time >= this.starts[this.starts.length - 1]) return localDay(instant, this.timeZone);
    // The last day starting at or before the instant.
    let low = 0;
    let high = this.days.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle] <= time) low = middle;
      else high = middle - 1;
    }
    return this.days[low];
  }
}

export { isValidLocalDate };

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
