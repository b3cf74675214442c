import { TestUserKey } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat/reports';
const RANGE = 'from=2026-11-01&to=2026-11-30';

describe('reports over HTTP: who may read them, validation, CSV', () => {
  const { ctx, chat } = useChatTestApp();

  it.each<[TestUserKey, number]>([
    ['candidate1', 403],
    ['support1', 403],
    ['coordinator1', 403],
    ['manager1', 200],
    ['admin1', 200],
  ])('%s gets %i on every report route', async (user, status) => {
    for (const path of [`/summary?${RANGE}`, `/summary?${RANGE}&group_by=agent`, `/volume?${RANGE}`, '/agents/live']) {
      const response = await ctx.as(user).get(`${BASE}${path}`).expect(status);
      if (status === 403) expect(response.body.code).toBe('reports_forbidden');
    }
  });

  it('unauthenticated is 401; bad dates and group_by are 400 with a code', async () => {
    await ctx.as(null).get(`${BASE}/summary?${RANGE}`).expect(401);
    expect((await ctx.as('manager1').get(`${BASE}/summary?from=2026-11-30&to=2026-11-01`).expect(400)).body.code).toBe('report_range_invalid');
    expect((await ctx.as('manager1').get(`${BASE}/summary?from=ayer&to=2026-11-01`).expect(400)).body.code).toBe('report_range_invalid');
    expect((await ctx.as('manager1').get(`${BASE}/summary?${RANGE}&group_by=pais`).expect(400)).body.code).toBe('invalid_group_by');
  });

  it('counts what happened today and exports the tables as CSV (format=csv or Accept: text/csv)', async () => {
    const conversation = await chat.newConversation('candidate1');
    await chat.send('candidate1', conversation.id, 'Hola');
    await chat.send('support1', conversation.id, 'Te ayudo');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());
    const range = `from=${today}&to=${today}`;
    const summary = (await ctx.as('manager1').get(`${BASE}/summary?${range}`).expect(200)).body;
    expect(summary.rows[0]).toMatchObject({ key: 'overall', opened: 1, first_response: { count: 1 }, messages_per_conversation: 2 });

    const csv = await ctx.as('manager1').get(`${BASE}/summary?${range}&group_by=agent&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`reporte-resumen-${today}-${today}.csv`);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^grupo,nombre,abiertas,resueltas/);
    expect(lines[1]).toContain('Sofía Soporte,1,0');

    const volume = await ctx.as('admin1').get(`${BASE}/volume?${range}`).set('Accept', 'text/csv').expect(200);
    expect(volume.text.replace(/^\uFEFF/, '').split('\r\n')[1]).toBe(`${today},1,0,,0`);
    const live = (await ctx.as('manager1').get(`${BASE}/agents/live`).expect(200)).body;
    expect(
      live.agents.find(
        (agent: { id: string; open_conversations: number }) => agent.id === conversation.assigned_support_user_id || agent.open_conversations === 1,
      ),
    ).toBeTruthy();
  });
});
