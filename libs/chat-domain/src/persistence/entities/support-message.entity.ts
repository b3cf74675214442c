import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { type MessageType } from '../../domain/message-type';

/** One entry of a conversation's timeline: a text, an attachment (metadata only) or a system event. */
@Entity({ name: 'support_messages' })
@Index('uq_support_messages_conversation_seq', ['conversationId', 'seq'], { unique: true })
@Index('uq_support_messages_sender_client_id', ['senderUserId', 'clientMessageId'], { unique: true })
@Index('ix_support_messages_conversation_type_seq', ['conversationId', 'messageType', 'seq'])
export class SupportMessageEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'conversation_id', type: String, length: 36 })
  conversationId!: string;

  /** Position in the conversation: 1, 2, 3, ... without gaps, assigned in the send transaction. */
  @Column({ name: 'seq', type: 'int' })
  seq!: number;

  /** Idempotency key chosen by the sender's client (a server-generated UUID when the client sent none). */
  @Column({ name: 'client_message_id', type: String, length: 36 })
  clientMessageId!: string;

  @Column({ name: 'sender_user_id', type: String, length: 36 })
  senderUserId!: string;

  @Column({ name: 'content', type: String, nullable: true })
  content!: string | null;

  @Column({ name: 'message_type', type: String, length: 16 })
  messageType!: MessageType;

  @Column({ name: 'attachment_url', type: String, length: 2048, nullable: true })
  attachmentUrl!: string | null;

  @Column({ name: 'attachment_name', type: String, length: 255, nullable: true })
  attachmentName!: string | null;

  @Column({ name: 'attachment_mime_type', type: String, length: 127, nullable: true })
  attachmentMimeType!: string | null;

  @Column({
    name: 'attachment_size_bytes',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) },
  })
  attachmentSizeBytes!: number | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: Date, nullable: true })
  editedAt!: Date | null;
}
