import { randomUUID } from 'node:crypto';

import { SupportMessageEntity } from '../src/persistence/entities';
import { createChatTestApp } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

jest.setTimeout(60_000);

/**
 * Issue 17 over HTTP, on every dialect the suite runs on (`npm run test:postgres -- business-hours`):
 * the once-only automatic reply with two module instances on one database, and the endpoints' codes.
 */
describe('business hours over HTTP (two instances, one database)', () => {
  // Always closed (an empty weekly schedule), settings read fresh by each instance.
  const closedEnv = { SUPPORT_CHAT_BUSINESS_HOURS: '', SUPPORT_CHAT_SETTINGS_CACHE_SECONDS: '0' };
  const { ctx } = useChatTestApp({ chat: { env: closedEnv } });

  it('simultaneous first messages through two instances get exactly one automatic reply', async () => {
    const other = await createChatTestApp({ database: ctx.dataSource.options, chat: { env: closedEnv } });
    try {
      const created = await ctx.as('candidate1').post('/api/support/chat/conversations').send({ subject: 'Fuera de horario' }).expect(201);
      const id = created.body.conversation.id as string;
      const send = (app: typeof ctx, content: string) =>
        app.as('candidate1').post(`/api/support/chat/conversations/${id}/messages`).send({ content, client_message_id: randomUUID() }).expect(201);
      await Promise.all([send(ctx, 'uno'), send(other, 'dos'), send(ctx, 'tres'), send(other, 'cuatro')]);
      const entries = await ctx.dataSource.getRepository(SupportMessageEntity).find({ where: { conversationId: id } });
      expect(entries).toHaveLength(5);
      expect(entries.filter((entry) => entry.messageType === 'system')).toHaveLength(1);
      const staffView = await ctx.as('support1').get(`/api/support/chat/conversations/${id}`).expect(200);
      expect(staffView.body.conversation.arrived_outside_hours).toBe(true);
      const candidateView = await ctx.as('candidate1').get(`/api/support/chat/conversations/${id}`).expect(200);
      expect(candidateView.body.conversation).not.toHaveProperty('arrived_outside_hours');
    } finally {
      await other.close();
    }
  });

  it('service status for candidates; settings for admins only, validated with Spanish messages and codes', async () => {
    const status = await ctx.as('candidate1').get('/api/support/chat/service-status').expect(200);
    expect(status.body).toMatchObject({ open: false, expected_reply_minutes: null });
    await ctx.as('support1').get('/api/support/chat/settings/business-hours').expect(403);
    const invalid = await ctx
      .as('admin1')
      .put('/api/support/chat/settings/business-hours')
      .send({ time_zone: 'America/Mexico_City', weekly_hours: 'mon-fri 18:00-09:00', holidays: [], auto_reply_enabled: true, auto_reply_text: 'Hola' })
      .expect(400);
    expect(invalid.body).toMatchObject({ code: 'business_hours_invalid', details: [{ field: 'weekly_hours' }] });
    await ctx
      .as('admin1')
      .put('/api/support/chat/settings/business-hours')
      .send({
        time_zone: 'America/Mexico_City',
        weekly_hours: 'mon-sun 00:00-24:00',
        holidays: [],
        auto_reply_enabled: true,
        auto_reply_text: 'Hola',
        extra: 1,
      })
      .expect(400);
    const saved = await ctx
      .as('admin1')
      .put('/api/support/chat/settings/business-hours')
      .send({ time_zone: 'America/Mexico_City', weekly_hours: 'mon-sun 00:00-24:00', holidays: [], auto_reply_enabled: true, auto_reply_text: 'Hola' })
      .expect(200);
    expect(saved.body.weekly_hours).toBe('mon-sun 00:00-24:00');
    expect((await ctx.as('candidate1').get('/api/support/chat/service-status').expect(200)).body.open).toBe(true);
  });
});
