/**
 * Business hours as pure rules: a weekly schedule in an IANA time zone, plus holidays (local dates).
 * Nothing here reads a clock: every function takes `now`, so tests pin the time.
 *
 * Time zones go through `Intl` only (no date library): the offset of an instant is read back from
 * `Intl.DateTimeFormat`, so any zone's rules apply, including Mexico's (no DST since 2022).
 */

/** Day of the week as `Date.getUTCDay()` numbers it: 0 = Sunday ... 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** An opening interval within one local day, in minutes since midnight (`close` may be 1440). */
export interface OpeningInterval {
  open: number;
  close: number;
}

export interface BusinessHours {
  /** IANA time zone name, e.g. `America/Mexico_City`. */
  timeZone: string;
  /** Opening intervals per weekday (index 0 = Sunday); an empty list closes that day. */
  weekly: OpeningInterval[][];
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays: string[];
}

export const WEEKDAY_NAMES = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'] as const;
const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MONTH_NAMES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
/** How far ahead the next opening is searched: a year and a bit (a schedule may close for holidays). */
const SEARCH_DAYS = 400;

export class BusinessHoursFormatError extends Error {}

/** True when `name` is a time zone this runtime knows. */
export function isValidTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isValidLocalDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/** `9:00`, `18:30`. */
export function formatClock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `09:00` (the form the text schedule and the settings use). */
function formatClock24(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Parses a weekly schedule written as `;`-separated parts, each days then intervals:
 * `mon-fri 09:00-18:00; sat 10:00-14:00`, `mon,wed 09:00-13:00,15:00-19:00`. Days not named are closed;
 * an empty text closes every day. Throws `BusinessHoursFormatError` with a Spanish message.
 */
export function parseWeeklySchedule(text: string): OpeningInterval[][] {
  const weekly: OpeningInterval[][] = [[], [], [], [], [], [], []];
  for (const part of text
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [daysText, ...rest] = part.split(/\s+/);
    const intervalsText = rest.join('');
    if (!daysText || !intervalsText) throw new BusinessHoursFormatError(`"${part}": escribe los días y el horario, por ejemplo "mon-fri 09:00-18:00".`);
    const days = new Set<number>();
    for (const range of daysText.toLowerCase().split(',')) {
      const [from, to] = range.split('-');
      const start = WEEKDAY_KEYS.indexOf(from as (typeof WEEKDAY_KEYS)[number]);
      const end = to === undefined ? start : WEEKDAY_KEYS.indexOf(to as (typeof WEEKDAY_KEYS)[number]);
      if (start < 0 || end < 0) throw new BusinessHoursFormatError(`"${range}": los días se escriben mon, tue, wed, thu, fri, sat, sun (o un rango mon-fri).`);
      for (let day = start; ; day = (day + 1) % 7) {
        days.add(day);
        if (day === end) break;
      }
    }
    const intervals: OpeningInterval[] = [];
    for (const interval of intervalsText.split(',')) {
      const [openText, closeText] = interval.split('-');
      const open = openText === undefined ? null : parseClock(openText);
      const close = closeText === undefined ? null : parseClock(closeText);
      if (open === null || close === null || open >= close) {
        throw new BusinessHoursFormatError(`"${interval}": el horario se escribe HH:MM-HH:MM, con la apertura antes del cierre.`);
      }
      intervals.push({ open, close });
    }
    for (const day of days) weekly[day] = normalise([...weekly[day], ...intervals]);
  }
  return weekly;
}

/** The weekly schedule back as text (`mon-fri 09:00-18:00; sat 10:00-14:00`). */
export function formatWeeklySchedule(weekly: OpeningInterval[][]): string {
  return groupDays(weekly)
    .map(({ from, to, intervals }) => {
      const days = from === to ? WEEKDAY_KEYS[from] : `${WEEKDAY_KEYS[from]}-${WEEKDAY_KEYS[to]}`;
      return `${days} ${intervals.map((i) => `${formatClock24(i.open)}-${formatClock24(i.close)}`).join(',')}`;
    })
    .join('; ');
}

function normalise(intervals: OpeningInterval[]): OpeningInterval[] {
  const sorted = [...intervals].sort((a, b) => a.open - b.open);
  const merged: OpeningInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.open <= last.close) last.close = Math.max(last.close, interval.close);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Runs of consecutive weekdays (Monday first) with the same intervals. */
function groupDays(weekly: OpeningInterval[][]): { from: number; to: number; intervals: OpeningInterval[] }[] {
  const order = [1, 2, 3, 4, 5, 6, 0];
  const groups: { from: number; to: number; intervals: OpeningInterval[] }[] = [];
  for (const day of order) {
    const intervals = weekly[day] ?? [];
    if (intervals.length === 0) continue;
    const last = groups[groups.length - 1];
    const key = JSON.stringify(intervals);
    if (last && JSON.stringify(last.intervals) === key && order.indexOf(last.to) === order.indexOf(day) - 1) last.to = day;
    else groups.push({ from: day, to: day, intervals });
  }
  return groups;
}

/** "de lunes a viernes de 9:00 a 18:00 y sábado de 10:00 a 14:00" (empty when always closed). */
export function describeSchedule(weekly: OpeningInterval[][]): string {
  const parts = groupDays(weekly).map(({ from, to, intervals }) => {
    const days = from === to ? WEEKDAY_NAMES[from] : `de ${WEEKDAY_NAMES[from]} a ${WEEKDAY_NAMES[to]}`;
    const hours = intervals.map((i) => `de ${formatClock(i.open)} a ${formatClock(i.close)}`).join(' y ');
    return `${days} ${hours}`;
  });
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} y ${parts[parts.length - 1]}`;
}

/** Local wall-clock parts of an instant in a time zone. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localParts(instant: Date, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute };
}

/** The instant at which the local wall clock of `timeZone` shows the given date and minute of day. */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): Date {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  // The zone's offset at a guess, then again at the corrected instant (a change of offset between them).
  let instant = wall - offsetAt(new Date(wall), timeZone);
  instant = wall - offsetAt(new Date(instant), timeZone);
  return new Date(instant);
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return wall - Math.floor(instant.getTime() / MINUTE) * MINUTE;
}

function localDateKey(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The local date `offset` days after (year, month, day). */
function addDays(year: number, month: number, day: number, offset: number): { year: number; month: number; day: number; weekday: Weekday } {
  const date = new Date(Date.UTC(year, month - 1, day + offset));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() as Weekday };
}

/** The opening intervals of each local day, per schedule object (a report asks for the same days thousands of times). */
const intervalsByHours = new WeakMap<BusinessHours, Map<string, { start: Date; end: Date }[]>>();

function dayIntervals(hours: BusinessHours, date: { year: number; month: number; day: number; weekday: Weekday }): { start: Date; end: Date }[] {
  let memo = intervalsByHours.get(hours);
  if (!memo) intervalsByHours.set(hours, (memo = new Map<string, { start: Date; end: Date }[]>()));
  const key = localDateKey(date.year, date.month, date.day);
  let intervals = memo.get(key);
  if (!intervals) {
    intervals = hours.holidays.includes(key)
      ? []
      : (hours.weekly[date.weekday] ?? []).map((interval) => ({
          start: zonedInstant(hours.timeZone, date.year, date.month, date.day, interval.open),
          end: zonedInstant(hours.timeZone, date.year, date.month, date.day, interval.close),
        }));
    // Bounded: a schedule object lives for the settings cache; a long-lived one keeps at most a few years of days.
    if (memo.size > 5000) memo.clear();
    memo.set(key, intervals);
  }
  return intervals;
}

export interface ScheduleState {
  open: boolean;
  /** When the current opening interval ends (open), or null. */
  closesAt: Date | null;
  /** The next opening (closed), or null when the schedule never opens. */
  nextOpening: Date | null;
}

/** Whether support is open at `now`, and when that changes. */
export function scheduleStateAt(hours: BusinessHours, now: Date): ScheduleState {
  const today = localParts(now, hours.timeZone);
  // From yesterday: an interval ending at 24:00 is still "today" for a zone's clock just after midnight.
  for (let offset = -1; offset <= SEARCH_DAYS; offset++) {
    const date = addDays(today.year, today.month, today.day, offset);
    for (const interval of dayIntervals(hours, date)) {
      if (interval.end <= now) continue;
      if (interval.start <= now) return { open: true, closesAt: interval.end, nextOpening: null };
      return { open: false, closesAt: null, nextOpening: interval.start };
    }
  }
  return { open: false, closesAt: null, nextOpening: null };
}

/**
 * A stable name of the closed period `now` falls in (the ISO instant of the opening that ends it, or
 * `never` when the schedule never opens); null while open. Two instances asking at any moment of the
 * same closed period get the same key: what the once-per-period automatic reply is keyed on.
 */
export function closedPeriodKey(hours: BusinessHours, now: Date): string | null {
  const state = scheduleStateAt(hours, now);
  if (state.open) return null;
  return state.nextOpening ? state.nextOpening.toISOString() : 'never';
}

/** How long a "never opens" answer (no opening within the days `scheduleStateAt` looks at) is kept. */
const NEVER_OPENS_RECHECK_MS = MINUTE;

/**
 * `closedPeriodKey` for a clock that moves forward, without asking `Intl` on every call (a candidate's every
 * send asks): an answer holds from the instant it was computed until the schedule's next boundary (the end
 * of the current opening interval, or the next opening), so it is kept until then. Another schedule object
 * (the settings were read again) or a clock earlier than the kept answer's instant computes afresh.
 */
export class ClosedPeriodMemo {
  private kept: { hours: BusinessHours; from: number; until: number; key: string | null } | undefined;

  keyAt(hours: BusinessHours, now: Date): string | null {
    const at = now.getTime();
    const kept = this.kept;
    if (kept && kept.hours === hours && kept.from <= at && at < kept.until) return kept.key;
    const state = scheduleStateAt(hours, now);
    const boundary = state.open ? state.closesAt : state.nextOpening;
    const key = state.open ? null : state.nextOpening ? state.nextOpening.toISOString() : 'never';
    this.kept = { hours, from: at, until: boundary ? boundary.getTime() : at + NEVER_OPENS_RECHECK_MS, key };
    return key;
  }
}

/**
 * When support opens next, in Spanish, relative to `now` in the schedule's zone: "hoy a las 9:00",
 * "mañana a las 9:00", "el lunes a las 9:00" (within a week) or "el lunes 4 de enero a las 9:00".
 */
export function describeOpening(hours: BusinessHours, now: Date, opening: Date): string {
  const here = localParts(now, hours.timeZone);
  const there = localParts(opening, hours.timeZone);
  const days = Math.round((Date.UTC(there.year, there.month - 1, there.day) - Date.UTC(here.year, here.month - 1, here.day)) / (DAY_MINUTES * MINUTE));
  const clock = formatClock(there.hour * 60 + there.minute);
  const weekday = WEEKDAY_NAMES[new Date(Date.UTC(there.year, there.month - 1, there.day)).getUTCDay()];
  if (days <= 0) return `hoy a las ${clock}`;
  if (days === 1) return `mañana a las ${clock}`;
  if (days < 7) return `el ${weekday} a las ${clock}`;
  return `el ${weekday} ${there.day} de ${MONTH_NAMES[there.month - 1]} a las ${clock}`;
}

/** "a partir del lunes a las 9:00", "a partir de mañana a las 9:00". */
export function fromOpeningText(hours: BusinessHours, now: Date, opening: Date): string {
  const when = describeOpening(hours, now, opening);
  return when.startsWith('el ') ? `a partir del ${when.slice(3)}` : `a partir de ${when}`;
}

/**
 * Minutes of business time between two instants (only the parts inside opening intervals, holidays
 * excluded): how long a candidate waited for an answer, counting only the time support was open.
 */
export function businessMinutesBetween(hours: BusinessHours, from: Date, to: Date): number {
  if (to <= from) return 0;
  const start = localParts(from, hours.timeZone);
  let total = 0;
  for (let offset = -1; ; offset++) {
    const date = addDays(start.year, start.month, start.day, offset);
    const dayStart = zonedInstant(hours.timeZone, date.year, date.month, date.day, 0);
    if (dayStart >= to) break;
    for (const interval of dayIntervals(hours, date)) {
      const overlap = Math.min(interval.end.getTime(), to.getTime()) - Math.max(interval.start.getTime(), from.getTime());
      if (overlap > 0) total += overlap;
    }
    if (offset > SEARCH_DAYS) break;
  }
  return total / MINUTE;
}

/** Durations longer than this go through `businessMinutesBetween` (which stops counting after SEARCH_DAYS days). */
const TABLE_MAX_SPAN = (SEARCH_DAYS - 1) * DAY_MINUTES * MINUTE;

/**
 * `businessMinutesBetween` for many durations within one period: the opening intervals of every local
 * day from `earliest` to `latest` are laid out once, with the business time elapsed before each, so a
 * duration is two binary searches instead of a time-zone conversion per day. Gives exactly the same
 * minutes; a duration outside the period, or a schedule whose intervals overlap, takes the plain path.
 */
export class BusinessMinutesTable {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Business milliseconds in the intervals before index i. */
  private readonly before: number[] = [0];
  private readonly exact: boolean;
  private readonly earliest: number;
  private readonly latest: number;

  constructor(
    private readonly hours: BusinessHours,
    earliest: Date,
    latest: Date,
  ) {
    this.earliest = earliest.getTime();
    this.latest = latest.getTime();
    let exact = true;
    if (this.latest >= this.earliest) {
      const first = localParts(earliest, hours.timeZone);
      const last = localParts(latest, hours.timeZone);
      const days = Math.round((Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / (DAY_MINUTES * MINUTE));
      // From the day before (as businessMinutesBetween starts) to the day after the latest instant.
      for (let offset = -1; offset <= days + 1; offset++) {
        for (const interval of dayIntervals(hours, addDays(first.year, first.month, first.day, offset))) {
          const start = interval.start.getTime();
          const end = interval.end.getTime();
          if (end <= start) continue; // empty (a time-zone gap): no minutes either way
          if (this.ends.length > 0 && start < this.ends[this.ends.length - 1]) exact = false;
          this.starts.push(start);
          this.ends.push(end);
          this.before.push(this.before[this.before.length - 1] + (end - start));
        }
      }
    }
    this.exact = exact;
  }

  minutesBetween(from: Date, to: Date): number {
    const a = from.getTime();
    const b = to.getTime();
    if (b <= a) return 0;
    if (!this.exact || a < this.earliest || b > this.latest || b - a > TABLE_MAX_SPAN) return businessMinutesBetween(this.hours, from, to);
    return (this.elapsed(b) - this.elapsed(a)) / MINUTE;
  }

  /** Business milliseconds from the table's first interval up to `instant`. */
  private elapsed(instant: number): number {
    // The number of intervals that end at or before `instant`.
    let low = 0;
    let high = this.ends.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ends[middle] <= instant) low = middle + 1;
      else high = middle;
    }
    const inside = low < this.starts.length && this.starts[low] < instant ? instant - this.starts[low] : 0;
    return this.before[low] + inside;
  }
}

/** Replaces `{name}` variables; unknown ones are left as written. */
export function fillTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in variables ? variables[name] : whole));
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
