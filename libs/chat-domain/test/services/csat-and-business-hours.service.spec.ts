import { join } from 'node:path';

import { ConversationsService } from '../../src/conversations/conversations.service';
import { RatingsService } from '../../src/csat/ratings.service';
import { SYSTEM_SENDER_ID } from '../../src/domain/system-sender';
import { ChatError, ChatErrorCode } from '../../src/errors/chat-error';
import { MessagesService } from '../../src/messages/messages.service';
import { SupportConversationEntity, SupportConversationRatingEntity, SupportMessageEntity } from '../../src/persistence/entities';
import { ChatAudience } from '../../src/realtime/chat-audience';
import { ServiceStatusService } from '../../src/service-hours/service-status.service';
import { newTestService, ServiceTestKit } from '../../src/testing/service-test-kit';

const ALWAYS_OPEN = 'mon-sun 00:00-24:00';
const ALWAYS_CLOSED = '';
const settings = (weekly_hours: string) => ({
  time_zone: 'America/Mexico_City',
  weekly_hours,
  holidays: [],
  auto_reply_enabled: true,
  auto_reply_text: 'Fuera de horario. Horario: {horario}. Te responderemos {proxima_apertura}.',
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return error instanceof ChatError ? String(error.code) : undefined;
}

/** Service tier: issue 17 part 1 on a real SQLite file, no HTTP. */
describe('CSAT, business hours and the automatic reply (service tier, SQLite)', () => {
  let kit: ServiceTestKit;
  let conversations: ConversationsService;
  let messages: MessagesService;
  let ratings: RatingsService;
  let status: ServiceStatusService;

  beforeEach(async () => {
    kit = await newTestService({ serviceHours: { settingsCacheSeconds: 0, expectedReplyCacheSeconds: 0, expectedReplyMinSample: 2 } });
    conversations = kit.get(ConversationsService);
    messages = kit.get(MessagesService);
    ratings = kit.get(RatingsService);
    status = kit.get(ServiceStatusService);
    await status.updateSettings(kit.actor('admin1'), settings(ALWAYS_OPEN));
  });
  afterEach(() => kit.close());

  const text = (content: string) => ({ content });
  const timeline = (conversationId: string) => kit.dataSource.getRepository(SupportMessageEntity).find({ where: { conversationId }, order: { seq: 'ASC' } });
  const row = (id: string) => kit.dataSource.getRepository(SupportConversationEntity).findOneByOrFail({ id });

  describe('satisfaction survey', () => {
    it('lets the candidate rate a resolved conversation once, change it, and shows it to staff only', async () => {
      const carla = kit.actor('candidate1');
      const sofia = kit.actor('support1');
      const created = await conversations.create(carla, { subject: 'examen' });
      await messages.send(carla, created.id, text('No puedo entrar'));
      await messages.send(sofia, created.id, text('Ya quedó'));
      expect((await ratings.state(carla, created.id)).can_rate).toBe(false);
      await expect(codeOf(ratings.rate(carla, created.id, { rating: 5 }))).resolves.toBe(ChatErrorCode.RatingNotAvailable);

      await conversations.updateStatus(sofia, created.id, 'resolved');
      const asked = await ratings.state(carla, created.id);
      expect(asked).toMatchObject({ can_rate: true, resolution_count: 1, current: null });
      expect(asked.history).toBeUndefined();

      await ratings.rate(carla, created.id, { rating: 3, comment: '  Tardaron un poco  ' });
      const changed = await ratings.rate(carla, created.id, { rating: 5, comment: null });
      expect(changed.current).toMatchObject({ resolution_number: 1, rating: 5, comment: null });
      expect(await kit.dataSource.getRepository(SupportConversationRatingEntity).count()).toBe(1);

      const staffView = await conversations.get(sofia, created.id);
      expect(staffView.latest_rating).toMatchObject({ rating: 5 });
      const { list } = await conversations.list(sofia, {});
      expect(list?.conversations[0].latest_rating_value).toBe(5);
      // Candidates never get the staff fields.
      expect((await conversations.get(carla, created.id)).latest_rating).toBeUndefined();
      expect((await conversations.list(carla, {})).list?.conversations[0]).not.toHaveProperty('latest_rating_value');
      // Staff cannot rate; writing never needs a rating.
      await expect(codeOf(ratings.rate(sofia, created.id, { rating: 1 }))).resolves.toBe(ChatErrorCode.Forbidden);
      await expect(messages.send(carla, created.id, text('Gracias'))).resolves.toMatchObject({ replayed: false });
    });

    it('a reopened and resolved again conversation is rated again, keeping the history', async () => {
      const carla = kit.actor('candidate1');
      const sofia = kit.actor('support1');
      const created = await conversations.create(carla, {});
      await messages.send(carla, created.id, text('Hola'));
      await conversations.updateStatus(sofia, created.id, 'resolved');
      await ratings.rate(carla, created.id, { rating: 2, comment: 'No se resolvió' });
      await messages.send(carla, created.id, text('Sigue fallando')); // reopens
      expect((await ratings.state(carla, created.id)).can_rate).toBe(false);
      await conversations.updateStatus(sofia, created.id, 'resolved');
      await conversations.updateStatus(sofia, created.id, 'closed'); // resolved -> closed is not a new resolution
      await ratings.rate(carla, created.id, { rating: 5 });

      const staff = await ratings.state(sofia, created.id);
      expect(staff.resolution_count).toBe(2);
      expect(staff.history?.map((r) => [r.resolution_number, r.rating])).toEqual([
        [1, 2],
        [2, 5],
      ]);
      expect((await conversations.get(sofia, created.id)).latest_rating).toMatchObject({ resolution_number: 2, rating: 5 });
      // Events carry the bookkeeping to staff; candidates get the conversation without it.
      const updated = kit.events.filter((event) => event.name === 'conversation.updated').at(-1)!;
      expect(updated.data).toMatchObject({ conversation: { resolution_count: 2, arrived_outside_hours: false } });
      const forCandidate = ChatAudience.dataFor(carla, updated) as { conversation: Record<string, unknown> };
      expect(forCandidate.conversation).not.toHaveProperty('resolution_count');
      expect(forCandidate.conversation).not.toHaveProperty('arrived_outside_hours');
    });

    it('closes the survey 7 days after the resolution', async () => {
      const carla = kit.actor('candidate1');
      const created = await conversations.create(carla, {});
      await conversations.updateStatus(carla, created.id, 'resolved');
      await kit.dataSource.getRepository(SupportConversationEntity).update({ id: created.id }, { resolvedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) });
      expect((await ratings.state(carla, created.id)).can_rate).toBe(false);
      await expect(codeOf(ratings.rate(carla, created.id, { rating: 4 }))).resolves.toBe(ChatErrorCode.RatingWindowClosed);
      expect(await kit.dataSource.getRepository(SupportConversationRatingEntity).count()).toBe(0);
    });
  });

  describe('bookkeeping kept on write', () => {
    it('first_response_at is the first staff text after the candidate wrote; system lines do not count', async () => {
      const carla = kit.actor('candidate1');
      const sofia = kit.actor('support1');
      const created = await conversations.create(sofia, { candidate_user_id: carla.id });
      await messages.send(sofia, created.id, text('¿Te puedo ayudar?')); // before the candidate wrote: not a response
      expect((await row(created.id)).firstResponseAt).toBeNull();
      await messages.send(carla, created.id, text('Sí'));
      await conversations.updateStatus(sofia, created.id, 'resolved'); // a system line
      expect((await row(created.id)).firstResponseAt).toBeNull();
      await conversations.updateStatus(sofia, created.id, 'open');
      await messages.send(sofia, created.id, text('Dime'));
      const after = await row(created.id);
      expect(after.firstResponseAt).not.toBeNull();
      expect(after.firstCandidateMessageAt).not.toBeNull();
      await messages.send(sofia, created.id, text('¿Algo más?'));
      expect((await row(created.id)).firstResponseAt).toEqual(after.firstResponseAt);
      expect(after.resolutionCount).toBe(1);
    });
  });

  describe('business hours and the automatic reply', () => {
    it('outside hours, the first candidate message gets one automatic reply and marks the conversation', async () => {
      await status.updateSettings(kit.actor('admin1'), settings(ALWAYS_CLOSED));
      const carla = kit.actor('candidate1');
      const created = await conversations.create(carla, {});
      await messages.send(carla, created.id, text('Hola'));
      await messages.send(carla, created.id, text('¿Hay alguien?'));
      await messages.send(kit.actor('support1'), created.id, text('Aquí estoy')); // staff never trigger it
      const entries = await timeline(created.id);
      expect(entries.map((entry) => [entry.messageType, entry.senderUserId === SYSTEM_SENDER_ID])).toEqual([
        ['text', false],
        ['system', true],
        ['text', false],
        ['text', false],
      ]);
      expect(entries[1].content).toMatch(/^Fuera de horario\./);
      const staffView = await conversations.get(kit.actor('support1'), created.id);
      expect(staffView.arrived_outside_hours).toBe(true);
      // The automatic reply is not a response.
      expect(staffView.first_response_at).toBe(entries[3].createdAt.toISOString());
      // A retried send (same client_message_id) replays: no second reply either.
      await messages.send(carla, created.id, { content: 'otra vez', client_message_id: '0a000000-0000-4000-8000-00000000000a' });
      await messages.send(carla, created.id, { content: 'otra vez', client_message_id: '0a000000-0000-4000-8000-00000000000a' });
      expect((await timeline(created.id)).filter((entry) => entry.messageType === 'system')).toHaveLength(1);
    });

    it('inside hours, nothing is added and the conversation is not marked', async () => {
      const carla = kit.actor('candidate1');
      const created = await conversations.create(carla, {});
      await messages.send(carla, created.id, text('Hola'));
      expect((await timeline(created.id)).map((entry) => entry.messageType)).toEqual(['text']);
      expect((await conversations.get(kit.actor('support1'), created.id)).arrived_outside_hours).toBe(false);
    });

    it('the next closed period gets its own reply (a holiday is closed all day)', async () => {
      const carla = kit.actor('candidate1');
      const created = await conversations.create(carla, {});
      await status.updateSettings(kit.actor('admin1'), { ...settings(ALWAYS_OPEN), holidays: [todayInMexico()] });
      await messages.send(carla, created.id, text('Hoy es festivo'));
      // A new closed period is a new key: simulate the previous period's claim being an older one.
      await kit.dataSource.getRepository(SupportConversationEntity).update({ id: created.id }, { autoReplyPeriod: '2020-01-01T15:00:00.000Z' });
      await messages.send(carla, created.id, text('Sigo esperando'));
      expect((await timeline(created.id)).filter((entry) => entry.messageType === 'system')).toHaveLength(2);
    });

    it('never twice under concurrency: two instances on one database, simultaneous first messages', async () => {
      await status.updateSettings(kit.actor('admin1'), settings(ALWAYS_CLOSED));
      const other = await newTestService({ databaseFile: join(kit.dataSource.options.database as string), serviceHours: { settingsCacheSeconds: 0 } });
      try {
        const carla = kit.actor('candidate1');
        const created = await conversations.create(carla, {});
        await Promise.all([
          messages.send(carla, created.id, text('uno')),
          other.get(MessagesService).send(carla, created.id, text('dos')),
          messages.send(carla, created.id, text('tres')),
          other.get(MessagesService).send(carla, created.id, text('cuatro')),
        ]);
        const entries = await timeline(created.id);
        expect(entries).toHaveLength(5);
        expect(entries.filter((entry) => entry.messageType === 'system')).toHaveLength(1);
      } finally {
        await other.module.close();
        await other.dataSource.destroy();
      }
    });

    it('admin settings are validated, shared through the database, and only admins change them', async () => {
      const admin = kit.actor('admin1');
      await expect(codeOf(status.updateSettings(admin, { ...settings(ALWAYS_OPEN), time_zone: 'Mexico/Nowhere' }))).resolves.toBe(
        ChatErrorCode.BusinessHoursInvalid,
      );
      await expect(codeOf(status.updateSettings(admin, settings('lun-vie 09:00-18:00')))).resolves.toBe(ChatErrorCode.BusinessHoursInvalid);
      await expect(codeOf(status.updateSettings(admin, { ...settings(ALWAYS_OPEN), holidays: ['2026-02-30'] }))).resolves.toBe(
        ChatErrorCode.BusinessHoursInvalid,
      );
      await expect(codeOf(status.updateSettings(kit.actor('support1'), settings(ALWAYS_CLOSED)))).resolves.toBe(ChatErrorCode.Forbidden);
      await expect(codeOf(status.settings(kit.actor('support1')))).resolves.toBe(ChatErrorCode.Forbidden);

      await status.updateSettings(admin, settings('mon-fri 09:00-18:00'));
      const other = await newTestService({ databaseFile: kit.dataSource.options.database as string, serviceHours: { settingsCacheSeconds: 0 } });
      try {
        expect(await other.get(ServiceStatusService).settings(admin)).toMatchObject({ weekly_hours: 'mon-fri 09:00-18:00', time_zone: 'America/Mexico_City' });
        const seen = await other.get(ServiceStatusService).status();
        expect(seen.schedule_text).toBe('de lunes a viernes de 9:00 a 18:00 (hora de America/Mexico_City)');
      } finally {
        await other.module.close();
        await other.dataSource.destroy();
      }
    });

    it('the candidate status says when it is closed and when it opens', async () => {
      await status.updateSettings(kit.actor('admin1'), { ...settings(ALWAYS_OPEN), holidays: [todayInMexico()] });
      const closed = await status.status();
      expect(closed.open).toBe(false);
      expect(closed.closed_notice).toMatch(
        /^Nuestro horario es de lunes a domingo de 0:00 a 24:00 \(hora de America\/Mexico_City\)\. Te responderemos a partir de mañana a las 0:00\.$/,
      );
      await status.updateSettings(kit.actor('admin1'), settings(ALWAYS_OPEN));
      expect(await status.status()).toMatchObject({ open: true, closed_notice: null });
    });
  });

  describe('expected reply time', () => {
    it('is hidden below the minimum sample, then the median of first responses in business minutes', async () => {
      const carla = kit.actor('candidate1');
      const sofia = kit.actor('support1');
      const answer = async () => {
        const created = await conversations.create(carla, {});
        await messages.send(carla, created.id, text('Hola'));
        await messages.send(sofia, created.id, text('Hola, dime'));
        return created.id;
      };
      await answer();
      expect((await status.status()).expected_reply_minutes).toBeNull();
      const second = await answer();
      const third = await answer();
      // Two waits of 10 and 30 business minutes and one near zero: the median is 10.
      const repository = kit.dataSource.getRepository(SupportConversationEntity);
      const now = Date.now();
      await repository.update({ id: second }, { firstCandidateMessageAt: new Date(now - 10 * 60_000), firstResponseAt: new Date(now) });
      await repository.update({ id: third }, { firstCandidateMessageAt: new Date(now - 30 * 60_000), firstResponseAt: new Date(now) });
      expect((await status.status()).expected_reply_minutes).toBe(10);
    });
  });
});

function todayInMexico(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());
}
