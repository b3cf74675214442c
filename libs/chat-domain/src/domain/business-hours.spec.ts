import {
  BusinessHours,
  BusinessHoursFormatError,
  businessMinutesBetween,
  BusinessMinutesTable,
  closedPeriodKey,
  ClosedPeriodMemo,
  describeSchedule,
  fillTemplate,
  formatWeeklySchedule,
  fromOpeningText,
  isValidLocalDate,
  isValidTimeZone,
  median,
  parseWeeklySchedule,
  scheduleStateAt,
} from './business-hours';

const mexico = (weekly = 'mon-fri 09:00-18:00', holidays: string[] = []): BusinessHours => ({
  timeZone: 'America/Mexico_City',
  weekly: parseWeeklySchedule(weekly),
  holidays,
});

describe('business hours rules', () => {
  it('parses a weekly schedule and writes it back', () => {
    const weekly = parseWeeklySchedule('mon-fri 09:00-18:00; sat 10:00-14:00');
    expect(weekly[1]).toEqual([{ open: 540, close: 1080 }]);
    expect(weekly[6]).toEqual([{ open: 600, close: 840 }]);
    expect(weekly[0]).toEqual([]);
    expect(formatWeeklySchedule(weekly)).toBe('mon-fri 09:00-18:00; sat 10:00-14:00');
    expect(describeSchedule(weekly)).toBe('de lunes a viernes de 9:00 a 18:00 y sábado de 10:00 a 14:00');
  });

  it('rejects malformed schedules, time zones and dates with Spanish messages', () => {
    expect(() => parseWeeklySchedule('lunes 09:00-18:00')).toThrow(BusinessHoursFormatError);
    expect(() => parseWeeklySchedule('mon 18:00-09:00')).toThrow(/apertura antes del cierre/);
    expect(() => parseWeeklySchedule('mon 25:00-26:00')).toThrow(BusinessHoursFormatError);
    expect(isValidTimeZone('America/Mexico_City')).toBe(true);
    expect(isValidTimeZone('Mexico/Nowhere')).toBe(false);
    expect(isValidLocalDate('2026-02-29')).toBe(false);
    expect(isValidLocalDate('2028-02-29')).toBe(true);
  });

  it('uses Mexico City time with no DST: UTC-6 in summer as in winter', () => {
    const hours = mexico();
    // Wednesday 2026-07-15 08:59 and 09:00 local = 14:59 and 15:00 UTC (it would be 14:00 with the old DST).
    expect(scheduleStateAt(hours, new Date('2026-07-15T14:59:00Z')).open).toBe(false);
    expect(scheduleStateAt(hours, new Date('2026-07-15T15:00:00Z')).open).toBe(true);
    // Wednesday 2026-01-14, winter: the same offset.
    expect(scheduleStateAt(hours, new Date('2026-01-14T15:00:00Z')).open).toBe(true);
    expect(scheduleStateAt(hours, new Date('2026-01-15T00:00:00Z')).open).toBe(false); // 18:00 local: closed
    expect(scheduleStateAt(hours, new Date('2026-01-14T23:59:00Z')).closesAt).toEqual(new Date('2026-01-15T00:00:00Z'));
  });

  it('follows a zone that does have DST (the offset is read from Intl, not fixed)', () => {
    const hours: BusinessHours = { timeZone: 'America/New_York', weekly: parseWeeklySchedule('mon-fri 09:00-17:00'), holidays: [] };
    expect(scheduleStateAt(hours, new Date('2026-07-15T13:00:00Z')).open).toBe(true); // 09:00 EDT
    expect(scheduleStateAt(hours, new Date('2026-01-14T13:00:00Z')).open).toBe(false); // 08:00 EST
  });

  it('says when it opens next, in Spanish: Friday evening -> "a partir del lunes a las 9:00"', () => {
    const hours = mexico();
    const fridayEvening = new Date('2026-11-27T02:00:00Z'); // Thursday 20:00 local
    const state = scheduleStateAt(hours, fridayEvening);
    expect(state.nextOpening).toEqual(new Date('2026-11-27T15:00:00Z'));
    expect(fromOpeningText(hours, fridayEvening, state.nextOpening!)).toBe('a partir de mañana a las 9:00');

    const saturday = new Date('2026-11-28T18:00:00Z'); // Saturday 12:00 local
    const monday = scheduleStateAt(hours, saturday).nextOpening!;
    expect(monday).toEqual(new Date('2026-11-30T15:00:00Z'));
    expect(fromOpeningText(hours, saturday, monday)).toBe('a partir del lunes a las 9:00');

    const earlyMonday = new Date('2026-11-30T12:00:00Z'); // Monday 06:00 local
    expect(fromOpeningText(hours, earlyMonday, scheduleStateAt(hours, earlyMonday).nextOpening!)).toBe('a partir de hoy a las 9:00');
  });

  it('stays closed on a holiday and opens the next working day', () => {
    const hours = mexico('mon-fri 09:00-18:00', ['2026-11-16']); // Monday, día de la Revolución (observed)
    const mondayNoon = new Date('2026-11-16T18:00:00Z');
    const state = scheduleStateAt(hours, mondayNoon);
    expect(state.open).toBe(false);
    expect(state.nextOpening).toEqual(new Date('2026-11-17T15:00:00Z'));
    expect(fromOpeningText(hours, mondayNoon, state.nextOpening!)).toBe('a partir de mañana a las 9:00');
  });

  it('names one closed period the same at any moment of it, and a different one after the next opening', () => {
    const hours = mexico();
    const friday = closedPeriodKey(hours, new Date('2026-11-28T01:00:00Z'));
    const sunday = closedPeriodKey(hours, new Date('2026-11-29T20:00:00Z'));
    expect(friday).toBe('2026-11-30T15:00:00.000Z');
    expect(sunday).toBe(friday);
    expect(closedPeriodKey(hours, new Date('2026-11-30T16:00:00Z'))).toBeNull(); // Monday 10:00: open
    expect(closedPeriodKey(hours, new Date('2026-12-01T01:00:00Z'))).toBe('2026-12-01T15:00:00.000Z');
    expect(closedPeriodKey(mexico(''), new Date())).toBe('never');
  });

  it('keeps the closed-period answer until the next boundary: the same answers as closedPeriodKey, without Intl on every call', () => {
    const hours = mexico('mon-fri 09:00-18:00; sat 10:00-14:00', ['2026-12-01']);
    const memo = new ClosedPeriodMemo();
    const start = new Date('2026-11-27T12:00:00Z').getTime();
    // Every 7 minutes for ten days: crosses openings, closings, a weekend and a holiday.
    for (let at = start; at < start + 10 * 24 * 60 * 60_000; at += 7 * 60_000) {
      expect([new Date(at).toISOString(), memo.keyAt(hours, new Date(at))]).toEqual([new Date(at).toISOString(), closedPeriodKey(hours, new Date(at))]);
    }
    // A clock that goes back, a boundary exactly, and new settings (another schedule object) compute afresh.
    expect(memo.keyAt(hours, new Date('2026-11-30T16:00:00Z'))).toBeNull(); // Monday 10:00: open
    expect(memo.keyAt(hours, new Date('2026-11-28T01:00:00Z'))).toBe('2026-11-28T16:00:00.000Z'); // Friday night: Saturday 10:00
    expect(memo.keyAt(hours, new Date('2026-11-30T15:00:00Z'))).toBeNull(); // Monday 09:00, the opening itself
    expect(memo.keyAt(mexico('sat 10:00-14:00'), new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-05T16:00:00.000Z');

    const formatToParts = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const fresh = new ClosedPeriodMemo();
      fresh.keyAt(hours, new Date('2026-11-30T16:00:00Z'));
      const afterFirst = formatToParts.mock.calls.length;
      expect(afterFirst).toBeGreaterThan(0);
      for (let minute = 1; minute < 100; minute++) fresh.keyAt(hours, new Date(Date.parse('2026-11-30T16:00:00Z') + minute * 60_000));
      expect(formatToParts.mock.calls.length).toBe(afterFirst);
    } finally {
      formatToParts.mockRestore();
    }
  });

  it('counts only business minutes between two instants', () => {
    const hours = mexico();
    // Friday 17:30 local to Monday 09:15 local: 30 + 15 business minutes.
    expect(businessMinutesBetween(hours, new Date('2026-11-27T23:30:00Z'), new Date('2026-11-30T15:15:00Z'))).toBe(45);
    expect(businessMinutesBetween(hours, new Date('2026-11-30T16:00:00Z'), new Date('2026-11-30T16:07:00Z'))).toBe(7);
  });

  it('fills template variables and computes medians', () => {
    expect(fillTemplate('Horario {horario}; {otro}', { horario: 'de 9 a 6' })).toBe('Horario de 9 a 6; {otro}');
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('BusinessMinutesTable', () => {
  // Zones with a DST change in the period (New York, Santiago at midnight, Lord Howe by 30 min) and without (Mexico City).
  const zones = ['America/Mexico_City', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe'];
  const weekly = 'mon-fri 00:00-02:30,09:00-18:00; sat 10:00-24:00';
  const earliest = new Date('2026-03-20T00:00:00Z');
  const latest = new Date('2026-04-20T00:00:00Z');

  it.each(zones)('gives the minutes of businessMinutesBetween in %s, holidays and clock changes included', (timeZone) => {
    const hours: BusinessHours = { timeZone, weekly: parseWeeklySchedule(weekly), holidays: ['2026-04-02', '2026-04-03'] };
    const table = new BusinessMinutesTable(hours, earliest, latest);
    let state = 7;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const span = latest.getTime() - earliest.getTime();
    for (let i = 0; i < 400; i++) {
      const from = new Date(earliest.getTime() + Math.floor(next() * span));
      const to = new Date(Math.min(latest.getTime(), from.getTime() + Math.floor(next() * 9 * 86_400_000)));
      expect([from.toISOString(), to.toISOString(), table.minutesBetween(from, to)]).toEqual([
        from.toISOString(),
        to.toISOString(),
        businessMinutesBetween(hours, from, to),
      ]);
    }
  });

  it('takes the plain path outside its period and for reversed durations', () => {
    const hours = mexico();
    const table = new BusinessMinutesTable(hours, new Date('2026-11-02T00:00:00Z'), new Date('2026-11-03T00:00:00Z'));
    // Friday 17:30 to Monday 09:15 local: 45 business minutes, partly outside the table's day.
    expect(table.minutesBetween(new Date('2026-11-27T23:30:00Z'), new Date('2026-11-30T15:15:00Z'))).toBe(45);
    expect(table.minutesBetween(new Date('2026-11-02T17:00:00Z'), new Date('2026-11-02T16:00:00Z'))).toBe(0);
    expect(table.minutesBetween(new Date('2026-11-02T16:00:00Z'), new Date('2026-11-02T16:07:30Z'))).toBe(7.5);
  });
});
