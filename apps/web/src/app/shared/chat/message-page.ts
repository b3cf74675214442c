import type { MessageDto, MessagePageDto, PageMessageDto } from '@app/api/models';

/** A history page as the stores use it: every message whole, as events and sends deliver them. */
export type HistoryPage = Omit<MessagePageDto, 'messages' | 'users'> & { readonly messages: MessageDto[] };

const UNKNOWN_SENDER = { full_name: 'Usuario no disponible', role: 'desconocido' } as const;

/**
 * Rebuilds whole messages from the compact page: the conversation and the senders come once per page,
 * and fields left out mean null (or `text` for `message_type`). A page carries no `client_message_id`
 * (the send's answer and the `message.created` event do, which is what the outbox confirms with).
 */
export function expandMessagePage(page: MessagePageDto): HistoryPage {
  const { users, messages, ...rest } = page;
  return {
    ...rest,
    messages: messages.map((entry: PageMessageDto): MessageDto => {
      const sender = Object.hasOwn(users, entry.sender_user_id) ? users[entry.sender_user_id] : UNKNOWN_SENDER;
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
    }),
  };
}
