import { randomUUID } from 'node:crypto';

import { ChatError } from '../../src/errors/chat-error';
import { SupportConversationEntity, SupportConversationLabelEntity, SupportLabelEntity } from '../../src/persistence/entities';
import { ReportsService } from '../../src/reports/reports.service';
import { ServiceStatusService } from '../../src/service-hours/service-status.service';
import { TEST_USERS } from '../../src/testing/chat-test-app';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

/** Mexico City is UTC-6 all year (no daylight saving since 2022): local 10:00 is 16:00Z. */
const local = (text: string) => new Date(`${text}:00-06:00`);

/**
 * Service tier: every figure of the reports on a hand-built dataset (rows written as the services keep
 * them) with known medians and p90, business hours Monday to Friday 09:00-18:00 in America/Mexico_City.
 * Week of Monday 2026-11-02 to Sunday 2026-11-08.
 */
describe('reports (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let reports: ReportsService;
  const ids: Record<string, string> = {};

  async function conversation(key: string, values: Partial<SupportConversationEntity> & { createdAt: Date }): Promise<void> {
    const id = randomUUID();
    ids[key] = id;
    await kit.dataSource.getRepository(SupportConversationEntity).insert(
      Object.assign(new SupportConversationEntity(), {
        id,
        candidateUserId: TEST_USERS.candidate1.id,
        createdByUserId: TEST_USERS.candidate1.id,
        assignedSupportUserId: null,
        subject: key,
        status: 'open',
        priority: 'normal',
        updatedAt: values.createdAt,
        lastMessageAt: values.createdAt,
        lastMessageSeq: 0,
        lastCandidateMessageSeq: 0,
        lastStaffMessageSeq: 0,
        unansweredCandidateMessages: 0,
        firstCandidateMessageAt: null,
        firstResponseAt: null,
        resolutionCount: 0,
        resolvedAt: null,
        arrivedOutsideHours: 0,
        autoReplyPeriod: null,
        latestRating: null,
        lastVisibleMessageSeq: 0,
        waitingSince: null,
        handlingTier: 'agent',
        escalatedAt: null,
        ...values,
      }),
    );
  }

  beforeAll(async () => {
    kit = await newTestService({ serviceHours: { settingsCacheSeconds: 0 } });
    reports = kit.get(ReportsService);
    await kit.get(ServiceStatusService).updateSettings(kit.actor('admin1'), {
      time_zone: 'America/Mexico_City',
      weekly_hours: 'mon-fri 09:00-18:00',
      holidays: [],
      auto_reply_enabled: false,
      auto_reply_text: 'Fuera de horario',
    });
    const s1 = TEST_USERS.support1.id;
    const s2 = TEST_USERS.support2.id;
    // A: answered in 10 min, resolved in 60 (all in business hours). Rated 5.
    await conversation('A', {
      createdAt: local('2026-11-02T10:00'),
      firstCandidateMessageAt: local('2026-11-02T10:00'),
      firstResponseAt: local('2026-11-02T10:10'),
      resolvedAt: local('2026-11-02T11:00'),
      status: 'resolved',
      latestRating: 5,
      lastMessageSeq: 4,
      assignedSupportUserId: s1,
    });
    // B: across a night: answered next morning (930 clock min, 30 business), resolved 10:50 (1020 / 120). Rated 3.
    await conversation('B', {
      createdAt: local('2026-11-02T17:50'),
      firstCandidateMessageAt: local('2026-11-02T17:50'),
      firstResponseAt: local('2026-11-03T09:20'),
      resolvedAt: local('2026-11-03T10:50'),
      status: 'resolved',
      latestRating: 3,
      lastMessageSeq: 6,
      assignedSupportUserId: s1,
    });
    // C: across a weekend: Friday 17:00 to Monday 09:30 (3870 clock min, 90 business); still open.
    await conversation('C', {
      createdAt: local('2026-11-06T17:00'),
      firstCandidateMessageAt: local('2026-11-06T17:00'),
      firstResponseAt: local('2026-11-09T09:30'),
      lastMessageSeq: 2,
      assignedSupportUserId: s2,
    });
    // D: unanswered and unassigned: waits since Wednesday noon.
    await conversation('D', {
      createdAt: local('2026-11-04T12:00'),
      firstCandidateMessageAt: local('2026-11-04T12:00'),
      waitingSince: local('2026-11-04T12:00'),
      unansweredCandidateMessages: 1,
      lastMessageSeq: 1,
    });
    // E: opened before the range, resolved in it: Friday 10-30 12:00 to Thursday 11-05 12:00 (8640 / 2160). Rated 4.
    await conversation('E', {
      createdAt: local('2026-10-30T12:00'),
      firstCandidateMessageAt: local('2026-10-30T12:00'),
      firstResponseAt: local('2026-10-30T12:05'),
      resolvedAt: local('2026-11-05T12:00'),
      status: 'resolved',
      latestRating: 4,
      lastMessageSeq: 3,
      assignedSupportUserId: s2,
    });
    // F: Sunday 23:00 local (Monday 05:00Z): inside the range by the local day. Open, nothing written.
    await conversation('F', { createdAt: local('2026-11-08T23:00'), assignedSupportUserId: s1 });
    // G: Sunday 11-01 23:30 local (Monday 05:30Z): outside the range by the local day; resolved then too.
    await conversation('G', {
      createdAt: local('2026-11-01T23:30'),
      resolvedAt: local('2026-11-01T23:40'),
      status: 'resolved',
      latestRating: 1,
      lastMessageSeq: 9,
    });

    const now = new Date();
    const pago = Object.assign(new SupportLabelEntity(), {
      id: randomUUID(),
      name: 'Pago',
      nameKey: 'pago',
      color: '#1e88e5',
      position: 1,
      createdAt: now,
      updatedAt: now,
    });
    ids.pago = pago.id;
    await kit.dataSource.getRepository(SupportLabelEntity).insert(pago);
    for (const key of ['A', 'C']) {
      await kit.dataSource
        .getRepository(SupportConversationLabelEntity)
        .insert({ id: randomUUID(), conversationId: ids[key], labelId: pago.id, addedByUserId: TEST_USERS.admin1.id, addedAt: now });
    }
  });
  afterAll(() => kit.close());

  const week = { from: '2026-11-02', to: '2026-11-08' };

  it('overall: counts, medians and p90 in clock and business minutes, CSAT, messages, backlog', async () => {
    const summary = await reports.summary(kit.actor('manager1'), { ...week });
    expect(summary).toMatchObject({ from: '2026-11-02', to: '2026-11-08', time_zone: 'America/Mexico_City', group_by: 'overall' });
    expect(summary.rows).toEqual([
      {
        key: 'overall',
        name: 'Total',
        opened: 5, // A, B, C, D, F (not E: before; not G: Sunday 11-01 local)
        resolved: 3, // A, B, E
        // First responses of A, B, C: [10, 930, 3870] clock, [10, 30, 90] business.
        first_response: { count: 3, median_minutes: 930, p90_minutes: 3282, business_median_minutes: 30, business_p90_minutes: 78 },
        // Resolutions of A, B, E: [60, 1020, 8640] clock, [60, 120, 2160] business.
        resolution: { count: 3, median_minutes: 1020, p90_minutes: 7116, business_median_minutes: 120, business_p90_minutes: 1752 },
        csat: { count: 3, average: 4, distribution: [0, 0, 1, 1, 1] },
        messages_per_conversation: 2.6, // (4 + 6 + 2 + 1 + 0) / 5
        backlog_open: 3, // C, D, F
        backlog_waiting: 1,
        oldest_waiting_since: local('2026-11-04T12:00').toISOString(),
        oldest_waiting_conversation_id: ids.D,
      },
    ]);
  });

  it('per agent and per label', async () => {
    const byAgent = await reports.summary(kit.actor('admin1'), { ...week, group_by: 'agent' });
    const agent = (key: string) => byAgent.rows.find((row) => row.key === key)!;
    expect(byAgent.rows.map((row) => row.key).sort()).toEqual([TEST_USERS.support1.id, TEST_USERS.support2.id, 'sin_asignar'].sort());
    expect(agent(TEST_USERS.support1.id)).toMatchObject({
      name: TEST_USERS.support1.full_name,
      opened: 3,
      resolved: 2,
      first_response: { count: 2, median_minutes: 470, business_median_minutes: 20 },
      resolution: { median_minutes: 540, p90_minutes: 924 },
      csat: { average: 4, distribution: [0, 0, 1, 0, 1] },
      backlog_open: 1,
      backlog_waiting: 0,
    });
    expect(agent(TEST_USERS.support2.id)).toMatchObject({
      opened: 1,
      resolved: 1,
      resolution: { median_minutes: 8640, business_median_minutes: 2160 },
      backlog_open: 1,
    });
    expect(agent('sin_asignar')).toMatchObject({ name: 'Sin asignar', opened: 1, resolved: 0, backlog_waiting: 1, oldest_waiting_conversation_id: ids.D });

    const byLabel = await reports.summary(kit.actor('manager1'), { ...week, group_by: 'label' });
    expect(byLabel.rows.find((row) => row.key === ids.pago)).toMatchObject({
      name: 'Pago',
      opened: 2,
      resolved: 1,
      first_response: { count: 2, median_minutes: 1940, business_median_minutes: 50 },
      backlog_open: 1,
    });
    expect(byLabel.rows.find((row) => row.key === 'sin_etiqueta')).toMatchObject({ name: 'Sin etiqueta', opened: 3, resolved: 2 });
  });

  it('volume per local day, CSAT trend and the first-response distribution', async () => {
    const volume = await reports.volume(kit.actor('manager1'), { ...week });
    expect(volume.days).toEqual([
      { date: '2026-11-02', opened: 2, resolved: 1, csat_average: 5, csat_count: 1 },
      { date: '2026-11-03', opened: 0, resolved: 1, csat_average: 3, csat_count: 1 },
      { date: '2026-11-04', opened: 1, resolved: 0, csat_average: null, csat_count: 0 },
      { date: '2026-11-05', opened: 0, resolved: 1, csat_average: 4, csat_count: 1 },
      { date: '2026-11-06', opened: 1, resolved: 0, csat_average: null, csat_count: 0 },
      { date: '2026-11-07', opened: 0, resolved: 0, csat_average: null, csat_count: 0 },
      { date: '2026-11-08', opened: 1, resolved: 0, csat_average: null, csat_count: 0 },
    ]);
    expect(Object.fromEntries(volume.response_time_distribution.map((bucket) => [bucket.key, bucket.count]))).toEqual({
      lt_5m: 0,
      '5_15m': 1,
      '15_60m': 0,
      '1_4h': 0,
      '4_24h': 1,
      gte_24h: 1,
    });
  });

  it('CSV: header, one line per row, formula-looking names made text', async () => {
    const summary = await reports.summary(kit.actor('manager1'), { ...week, group_by: 'agent' });
    const csv = reports.summaryCsv({ ...summary, rows: [{ ...summary.rows[0], name: '=HYPERLINK("x")' }] });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^grupo,nombre,abiertas,resueltas,primera_respuesta_mediana_min/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    const volume = reports.volumeCsv(await reports.volume(kit.actor('manager1'), { ...week }));
    expect(volume.replace(/^\uFEFF/, '').split('\r\n')[1]).toBe('2026-11-02,2,1,5,1');
  });

  it('live panel: active staff with their open and waiting load, and the unassigned ones', async () => {
    const live = await reports.liveAgents(kit.actor('manager1'));
    expect(live.unassigned_open).toBe(1);
    const sofia = live.agents.find((agent) => agent.id === TEST_USERS.support1.id);
    expect(sofia).toMatchObject({ online: false, open_conversations: 1, waiting_conversations: 0 });
  });

  it('refuses candidates and plain agents (403 reports_forbidden) and bad ranges (400)', async () => {
    const code = async (promise: Promise<unknown>) =>
      (await promise.then(
        () => null,
        (error: unknown) => error,
      )) as ChatError;
    expect((await code(reports.summary(kit.actor('candidate1'), week))).code).toBe('reports_forbidden');
    expect((await code(reports.summary(kit.actor('support1'), week))).code).toBe('reports_forbidden');
    expect((await code(reports.liveAgents(kit.actor('support1')))).code).toBe('reports_forbidden');
    expect((await code(reports.summary(kit.actor('admin1'), { from: '2026-11-08', to: '2026-11-01' }))).code).toBe('report_range_invalid');
    expect((await code(reports.summary(kit.actor('admin1'), { from: '2026-02-30', to: '2026-03-01' }))).code).toBe('report_range_invalid');
    expect((await code(reports.summary(kit.actor('admin1'), { from: '2024-01-01', to: '2026-01-01' }))).code).toBe('report_range_invalid');
  });

  it('a role named in SUPPORT_CHAT_REPORT_ROLES reads the reports', async () => {
    const other = await newTestService({ config: { reportRoles: ['soporte'] } });
    try {
      const summary = await other.get(ReportsService).summary(other.actor('support1'), week);
      expect(summary.rows[0]).toMatchObject({ opened: 0, resolved: 0 });
    } finally {
      await other.close();
    }
  });
});
