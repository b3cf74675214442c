import type { ChatTestApp, TestUserKey } from './chat-test-app';

/** Data factories over the HTTP API, so tests state intent instead of building rows by hand. */
export class ChatScenario {
  constructor(private readonly ctx: ChatTestApp) {}

  async newConversation(
    as: TestUserKey = 'candidate1',
    body: Record<string, unknown> = { subject: 'No puedo iniciar mi examen' },
  ): Promise<{ id: string; [key: string]: unknown }> {
    const response = await this.ctx.as(as).post('/api/support/chat/conversations').send(body).expect(201);
    return response.body.conversation;
  }

  async send(as: TestUserKey, conversationId: string, content: string | Record<string, unknown>): Promise<{ id: string; seq: number; [key: string]: unknown }> {
    const body = typeof content === 'string' ? { content } : content;
    const response = await this.ctx.as(as).post(`/api/support/chat/conversations/${conversationId}/messages`).send(body).expect(201);
    return response.body.message;
  }

  async unread(as: TestUserKey): Promise<number> {
    const response = await this.ctx.as(as).get('/api/support/chat/unread-count').expect(200);
    return response.body.unread_count;
  }
}
