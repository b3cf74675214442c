import type { MessageDto, MessagePageDto } from '../messages/dto/message-response.dto';

/**
 * A history page's messages made whole again (conversation, sender, the fields a page leaves out), as
 * the web app does, so that tests can assert on them like on sent messages and events.
 */
export function wholeMessages(page: MessagePageDto): MessageDto[] {
  return page.messages.map((entry) => {
    const sender = page.users[entry.sender_user_id];
    return {
      id: entry.id,
      conversation_id: page.conversation_id,
      seq: entry.seq,
      client_message_id: '',
      sender_user_id: entry.sender_user_id,
      sender: { id: entry.sender_user_id, full_name: sender.full_name, role: sender.role },
      content: entry.content ?? null,
      message_type: entry.message_type ?? 'text',
      attachment: entry.attachment ?? null,
      created_at: entry.created_at,
      edited_at: entry.edited_at ?? null,
    };
  });
}
