import type { MessagePageDto } from '@app/api/models';
import { expandMessagePage } from './message-page';

const CONVERSATION = '0b7c2f1e-3a52-4d2e-9f61-2a7f4f0c9d11';
const AGENT = 'a3d1c0de-0000-4000-8000-000000000001';
const CANDIDATE = 'c4nd1d47-0000-4000-8000-000000000002';

function page(overrides: Partial<MessagePageDto> = {}): MessagePageDto {
  return {
    conversation_id: CONVERSATION,
    users: { [CANDIDATE]: { full_name: 'Carla Candidata', role: 'candidato' }, [AGENT]: { full_name: 'Ana López', role: 'soporte' } },
    messages: [
      { id: 'm1', seq: 1, sender_user_id: CANDIDATE, content: 'Hola', created_at: '2026-11-30T16:00:00.000Z' },
      {
        id: 'm2',
        seq: 2,
        sender_user_id: AGENT,
        message_type: 'attachment',
        attachment: { url: 'https://storage.example.com/a.pdf', name: 'a.pdf', mime_type: 'application/pdf', size_bytes: 10 },
        created_at: '2026-11-30T16:01:00.000Z',
        edited_at: '2026-11-30T16:02:00.000Z',
      },
    ],
    page: 1,
    per_page: 30,
    total: 2,
    pages: 1,
    has_older: false,
    has_newer: false,
    ...overrides,
  };
}

describe('expandMessagePage', () => {
  it('gives every message its conversation, its sender from the page and null for what was left out', () => {
    const expanded = expandMessagePage(page());
    expect(expanded.messages).toEqual([
      {
        id: 'm1',
        conversation_id: CONVERSATION,
        seq: 1,
        client_message_id: '',
        sender_user_id: CANDIDATE,
        sender: { id: CANDIDATE, full_name: 'Carla Candidata', role: 'candidato' },
        content: 'Hola',
        message_type: 'text',
        attachment: null,
        created_at: '2026-11-30T16:00:00.000Z',
        edited_at: null,
      },
      {
        id: 'm2',
        conversation_id: CONVERSATION,
        seq: 2,
        client_message_id: '',
        sender_user_id: AGENT,
        sender: { id: AGENT, full_name: 'Ana López', role: 'soporte' },
        content: null,
        message_type: 'attachment',
        attachment: { url: 'https://storage.example.com/a.pdf', name: 'a.pdf', mime_type: 'application/pdf', size_bytes: 10 },
        created_at: '2026-11-30T16:01:00.000Z',
        edited_at: '2026-11-30T16:02:00.000Z',
      },
    ]);
    expect(expanded).toEqual(expect.objectContaining({ conversation_id: CONVERSATION, page: 1, total: 2, has_older: false, has_newer: false }));
    expect(expanded).not.toHaveProperty('users');
  });

  it('a sender missing from the page (or named like an Object member) is shown as unavailable, never as undefined', () => {
    const expanded = expandMessagePage(
      page({
        users: {},
        messages: [
          { id: 'm1', seq: 1, sender_user_id: 'constructor', content: 'x', created_at: '2026-11-30T16:00:00.000Z' },
          { id: 'm2', seq: 2, sender_user_id: CANDIDATE, content: 'y', created_at: '2026-11-30T16:00:00.000Z' },
        ],
      }),
    );
    expect(expanded.messages.map((message) => message.sender)).toEqual([
      { id: 'constructor', full_name: 'Usuario no disponible', role: 'desconocido' },
      { id: CANDIDATE, full_name: 'Usuario no disponible', role: 'desconocido' },
    ]);
  });
});
