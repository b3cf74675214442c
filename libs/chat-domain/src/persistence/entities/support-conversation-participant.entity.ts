import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { type ParticipantRole } from '../../domain/conversation-status';

/** A user taking part in a conversation, with their read marker. */
@Entity({ name: 'support_conversation_participants' })
@Index('uq_support_participants_conversation_user', ['conversationId', 'userId'], { unique: true })
@Index('ix_support_participants_user', ['userId'])
export class SupportConversationParticipantEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'conversation_id', type: String, length: 36 })
  conversationId!: string;

  @Column({ name: 'user_id', type: String, length: 36 })
  userId!: string;

  @Column({ name: 'participant_role', type: String, length: 16 })
  participantRole!: ParticipantRole;

  @Column({ name: 'joined_at', type: Date })
  joinedAt!: Date;

  @Column({ name: 'last_read_at', type: Date, nullable: true })
  lastReadAt!: Date | null;

  @Column({ name: 'last_read_message_id', type: String, length: 36, nullable: true })
  lastReadMessageId!: string | null;

  /** `seq` of `last_read_message_id` (0 = nothing read): unread counts compare sequences, never times. */
  @Column({ name: 'last_read_seq', type: 'int' })
  lastReadSeq!: number;
}
