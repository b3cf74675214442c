import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { type ConversationPriority, type ConversationStatus } from '../../domain/conversation-status';
import { type HandlingTier } from '../../domain/handling-tier';

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
@Index('ix_support_conversations_first_response', ['firstResponseAt'])
@Index('ix_support_conversations_queue', ['assignedSupportUserId', 'waitingSince'])
@Index('ix_support_conversations_tier_activity', ['handlingTier', 'lastMessageAt'])
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

  // ---- Issue 17 part 1 (H17a) ----

  /** When the candidate's first text/attachment message arrived; null until then. */
  @Column({ name: 'first_candidate_message_at', type: Date, nullable: true })
  firstCandidateMessageAt!: Date | null;

  /** The first staff text/attachment reply after the candidate's first message; null until then. */
  @Column({ name: 'first_response_at', type: Date, nullable: true })
  firstResponseAt!: Date | null;

  /** How many times the conversation went from open into resolved/closed: the resolution being rated. */
  @Column({ name: 'resolution_count', type: 'int' })
  resolutionCount!: number;

  /** When the latest resolution happened; null before the first one. */
  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;

  /** 1 when the candidate's first message arrived outside business hours. */
  @Column({ name: 'arrived_outside_hours', type: 'int' })
  arrivedOutsideHours!: number;

  /** The candidate's latest CSAT rating (1-5), null until rated (the full history is in `support_conversation_ratings`). */
  @Column({ name: 'latest_rating', type: 'int', nullable: true })
  latestRating!: number | null;

  /** Key of the closed period whose automatic reply the conversation got (the once-only claim). */
  @Column({ name: 'auto_reply_period', type: String, length: 40, nullable: true })
  autoReplyPeriod!: string | null;
  /** `seq` of the newest entry the candidate sees (internal notes skipped; 0 when none). */
  @Column({ name: 'last_visible_message_seq', type: 'int' })
  lastVisibleMessageSeq!: number;

  /** When the oldest candidate message the team has not answered was written; null when nothing waits. */
  @Column({ name: 'waiting_since', type: Date, nullable: true })
  waitingSince!: Date | null;

  /** `agent`, or `coordinator` while escalated to the second tier. */
  @Column({ name: 'handling_tier', type: String, length: 16 })
  handlingTier!: HandlingTier;

  /** When it was last escalated to a coordinator; null when it never was or was returned. */
  @Column({ name: 'escalated_at', type: Date, nullable: true })
  escalatedAt!: Date | null;
}
