import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { type ConversationPriority, type ConversationStatus } from '../../domain/conversation-status';

/**
 * A support conversation between one candidate and the support team.
 * String columns use the `String` type (not 'varchar'): TypeORM then binds them as NVARCHAR on SQL Server,
 * so Unicode text survives every dialect. The DDL itself comes from `support-chat.schema.ts`.
 */
@Entity({ name: 'support_conversations' })
@Index('ix_support_conversations_activity', ['lastMessageAt', 'id'])
@Index('ix_support_conversations_candidate_activity', ['candidateUserId', 'lastMessageAt'])
@Index('ix_support_conversations_status_activity', ['status', 'lastMessageAt'])
@Index('ix_support_conversations_assignee_activity', ['assignedSupportUserId', 'lastMessageAt'])
@Index('ix_support_conversations_unanswered', ['unansweredCandidateMessages'])
export class SupportConversationEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'candidate_user_id', type: String, length: 36 })
  candidateUserId!: string;

  @Column({ name: 'created_by_user_id', type: String, length: 36 })
  createdByUserId!: string;

  @Column({ name: 'assigned_support_user_id', type: String, length: 36, nullable: true })
  assignedSupportUserId!: string | null;

  @Column({ name: 'subject', type: String, length: 1000, nullable: true })
  subject!: string | null;

  @Column({ name: 'status', type: String, length: 16 })
  status!: ConversationStatus;

  @Column({ name: 'priority', type: String, length: 16 })
  priority!: ConversationPriority;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  /** Time of the newest message; equals `created_at` until the first message arrives. */
  @Column({ name: 'last_message_at', type: Date })
  lastMessageAt!: Date;

  /** `seq` of the newest message (0 when there is none): the per-conversation counter. */
  @Column({ name: 'last_message_seq', type: 'int' })
  lastMessageSeq!: number;

  /** `seq` of the newest text/attachment message written by the candidate (0 when none). */
  @Column({ name: 'last_candidate_message_seq', type: 'int' })
  lastCandidateMessageSeq!: number;

  /** `seq` of the newest text/attachment message written by staff (0 when none). */
  @Column({ name: 'last_staff_message_seq', type: 'int' })
  lastStaffMessageSeq!: number;

  /**
   * The candidate's text/attachment messages since the team's last reply (reset to 0 by a staff
   * message): what the whole team has left unanswered. Kept in the same UPDATE that advances `seq`, so
   * the staff unread count never walks the messages.
   */
  @Column({ name: 'unanswered_candidate_messages', type: 'int' })
  unansweredCandidateMessages!: number;
}
