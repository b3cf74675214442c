import { randomUUID } from 'node:crypto';

import { BusinessHours, businessMinutesBetween, parseWeeklySchedule } from '../../src/domain/business-hours';
import { SupportConversationEntity, SupportConversationLabelEntity, SupportLabelEntity } from '../../src/persistence/entities';
import { daysBetween, localDay, nextDay, percentile, round1, startOfLocalDay } from '../../src/reports/report-figures';
import { ReportsService } from '../../src/reports/reports.service';
import { ServiceStatusService } from '../../src/service-hours/service-status.service';
import { TEST_USERS } from '../../src/testing/chat-test-app';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/**
 * The reports' fast path (raw columns, the business-minutes table, local days by binary search) against a
 * straightforward computation over every whole conversation entity: Intl for each local day and
 * `businessMinutesBetween` for each duration. New York changes its clock on 2026-11-01 (the 01:00-02:00
 * hour happens twice) inside the period, the schedule opens across that hour, and 2026-11-11 is a holiday.
 */
const ZONE = 'America/New_York';
const WEEKLY = 'mon-fri 00:30-02:30,09:00-18:00; sat 10:00-14:00';
const HOLIDAYS = ['2026-11-11'];
const PERIOD = { from: '2026-10-25', to: '2026-11-14' };
const MINUTE = 60_000;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('reports: fast path gives the figures of a straightforward computation (SQLite, DST zone, holiday)', () => {
  let kit: ServiceTestKit;
  let reports: ReportsService;
  const hours: BusinessHours = { timeZone: ZONE, weekly: parseWeeklySchedule(WEEKLY), holidays: HOLIDAYS };
  const labels = [
    { id: randomUUID(), name: 'Pago' },
    { id: randomUUID(), name: 'Sede' },
    { id: randomUUID(), name: 'Constancia' },
  ];
  const labelsOf = new Map<string, { id: string; name: string }[]>();

  beforeAll(async () => {
    kit = await newTestService({ serviceHours: { settingsCacheSeconds: 0 } });
    reports = kit.get(ReportsService);
    await kit.get(ServiceStatusService).updateSettings(kit.actor('admin1'), {
      time_zone: ZONE,
      weekly_hours: WEEKLY,
      holidays: HOLIDAYS,
      auto_reply_enabled: false,
      auto_reply_text: 'Fuera de horario',
    });
    const now = new Date();
    for (const [position, label] of labels.entries()) {
      await kit.dataSource
        .getRepository(SupportLabelEntity)
        .insert({ ...label, nameKey: label.name.toLowerCase(), color: '#1e88e5', position, createdAt: now, updatedAt: now });
    }
    const next = random(18);
    const agents = [TEST_USERS.support1.id, TEST_USERS.support2.id, null];
    // From two weeks before the period (resolved in it) to a few days after it, at any minute and second.
    const first = Date.parse('2026-10-11T00:00:00Z');
    const span = Date.parse('2026-11-18T00:00:00Z') - first;
    const rows: SupportConversationEntity[] = [];
    for (let i = 0; i < 400; i++) {
      const createdAt = new Date(first + Math.floor(next() * span));
      const asked = next() < 0.9 ? new Date(createdAt.getTime() + Math.floor(next() * 30) * 1000) : null;
      const answered = asked && next() < 0.85 ? new Date(asked.getTime() + Math.floor(next() * 5 * 24 * 60) * MINUTE + 123) : null;
      const status = next() < 0.4 ? 'open' : next() < 0.8 ? 'resolved' : 'closed';
      // A closed conversation may have been resolved before (resolved_at kept); an open one reopened keeps it too.
      const resolvedAt = status !== 'open' || next() < 0.1 ? new Date(createdAt.getTime() + Math.floor(next() * 12 * 24 * 60) * MINUTE + 7) : null;
      const waiting = status === 'open' && next() < 0.5 ? new Date(createdAt.getTime() + Math.floor(next() * 600) * MINUTE) : null;
      rows.push(
        Object.assign(new SupportConversationEntity(), {
          id: randomUUID(),
          candidateUserId: TEST_USERS.candidate1.id,
          createdByUserId: TEST_USERS.candidate1.id,
          assignedSupportUserId: agents[Math.floor(next() * agents.length)],
          subject: `caso ${i}`,
          status,
          priority: 'normal',
          createdAt,
          updatedAt: createdAt,
          lastMessageAt: createdAt,
          lastMessageSeq: Math.floor(next() * 40),
          lastCandidateMessageSeq: 0,
          lastStaffMessageSeq: 0,
          unansweredCandidateMessages: 0,
          firstCandidateMessageAt: asked,
          firstResponseAt: answered,
          resolutionCount: resolvedAt ? 1 : 0,
          resolvedAt,
          arrivedOutsideHours: 0,
          autoReplyPeriod: null,
          latestRating: resolvedAt && next() < 0.7 ? 1 + Math.floor(next() * 5) : null,
          lastVisibleMessageSeq: 0,
          waitingSince: waiting,
          handlingTier: 'agent',
          escalatedAt: null,
        }),
      );
    }
    await kit.dataSource.getRepository(SupportConversationEntity).insert(rows);
    for (const row of rows) {
      const own = labels.filter(() => next() < 0.35);
      labelsOf.set(row.id, own);
      for (const label of own) {
        await kit.dataSource
          .getRepository(SupportConversationLabelEntity)
          .insert({ id: randomUUID(), conversationId: row.id, labelId: label.id, addedByUserId: TEST_USERS.admin1.id, addedAt: now });
      }
    }
  });
  afterAll(() => kit.close());

  /** The figures computed the plain way from every conversation (whole entities, as read back). */
  async function reference(groupBy: 'overall' | 'agent' | 'label') {
    const all = await kit.dataSource.getRepository(SupportConversationEntity).find();
    const start = startOfLocalDay(PERIOD.from, ZONE);
    const end = startOfLocalDay(nextDay(PERIOD.to), ZONE);
    const inside = (instant: Date | null) => instant !== null && instant >= start && instant < end;
    const opened = (c: SupportConversationEntity) => inside(c.createdAt);
    const resolved = (c: SupportConversationEntity) => c.status !== 'open' && inside(c.resolvedAt);
    const keys = (c: SupportConversationEntity) =>
      groupBy === 'overall'
        ? ['overall']
        : groupBy === 'agent'
          ? [c.assignedSupportUserId ?? 'sin_asignar']
          : (labelsOf.get(c.id) ?? []).length > 0
            ? labelsOf.get(c.id)!.map((label) => label.id)
            : ['sin_etiqueta'];
    const figures = (pairs: [Date, Date][]) => {
      const clock = pairs.map(([from, to]) => Math.max(0, (to.getTime() - from.getTime()) / MINUTE));
      const business = pairs.map(([from, to]) => businessMinutesBetween(hours, from, to));
      return {
        count: pairs.length,
        median_minutes: round1(percentile(clock, 0.5)),
        p90_minutes: round1(percentile(clock, 0.9)),
        business_median_minutes: round1(percentile(business, 0.5)),
        business_p90_minutes: round1(percentile(business, 0.9)),
      };
    };
    const groups = new Map<string, SupportConversationEntity[]>();
    for (const c of all) if (opened(c) || resolved(c) || c.status === 'open') for (const key of keys(c)) groups.set(key, [...(groups.get(key) ?? []), c]);
    const rows = [...groups.entries()].map(([key, members]) => {
      const o = members.filter(opened);
      const r = members.filter(resolved);
      const ratings = r.map((c) => c.latestRating).filter((rating): rating is number => rating !== null);
      const waiting = members.filter((c) => c.status === 'open' && c.waitingSince).sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime());
      return {
        key,
        opened: o.length,
        resolved: r.length,
        first_response: figures(o.filter((c) => c.firstCandidateMessageAt && c.firstResponseAt).map((c) => [c.firstCandidateMessageAt!, c.firstResponseAt!])),
        resolution: figures(r.map((c) => [c.createdAt, c.resolvedAt!])),
        csat: {
          count: ratings.length,
          average: ratings.length > 0 ? round1(ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length) : null,
          distribution: [1, 2, 3, 4, 5].map((value) => ratings.filter((rating) => rating === value).length),
        },
        messages_per_conversation: o.length > 0 ? round1(o.reduce((sum, c) => sum + c.lastMessageSeq, 0) / o.length) : null,
        backlog_open: members.filter((c) => c.status === 'open').length,
        backlog_waiting: waiting.length,
        oldest_waiting_since: waiting[0]?.waitingSince?.toISOString() ?? null,
        oldest_waiting_conversation_id: waiting[0]?.id ?? null,
      };
    });
    const volume = daysBetween(PERIOD.from, PERIOD.to).map((date) => {
      const ratings = all.filter((c) => resolved(c) && localDay(c.resolvedAt!, ZONE) === date && c.latestRating !== null).map((c) => c.latestRating!);
      return {
        date,
        opened: all.filter((c) => opened(c) && localDay(c.createdAt, ZONE) === date).length,
        resolved: all.filter((c) => resolved(c) && localDay(c.resolvedAt!, ZONE) === date).length,
        csat_average: ratings.length > 0 ? round1(ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length) : null,
        csat_count: ratings.length,
      };
    });
    return { rows, volume };
  }

  const byKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

  it.each(['overall', 'agent', 'label'] as const)('summary by %s: every figure of every group', async (groupBy) => {
    const summary = await reports.summary(kit.actor('manager1'), { ...PERIOD, group_by: groupBy });
    const expected = await reference(groupBy);
    expect(summary.time_zone).toBe(ZONE);
    // The period is one the data exercises: durations across the DST change and the holiday, in every group.
    expect(expected.rows.reduce((sum, row) => sum + row.first_response.count + row.resolution.count, 0)).toBeGreaterThan(200);
    const actual = summary.rows.map(({ name: _name, ...row }) => row);
    expect(byKey(actual)).toEqual(byKey(expected.rows));
  });

  it('volume per day: opened, resolved and CSAT by local day (the day the clock changes included)', async () => {
    const volume = await reports.volume(kit.actor('manager1'), PERIOD);
    const expected = await reference('overall');
    expect(volume.days).toEqual(expected.volume);
    expect(volume.days.find((day) => day.date === '2026-11-01')!.opened).toBeGreaterThan(0);
  });
});
