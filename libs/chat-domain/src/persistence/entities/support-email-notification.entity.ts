import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where an away e-mail is: claimed (`sending`), `sent`, or `failed` (retried a bounded number of times). */
export type EmailNotificationStatus = 'sending' | 'sent' | 'failed';

/** The outbox of "e-mail when away": one row per conversation and unread window (see the schema). */
@Entity({ name: 'support_email_notifications' })
@Index('uq_support_email_notifications_window', ['conversationId', 'windowSeq'], { unique: true })
@Index('ix_support_email_notifications_status', ['status', 'updatedAt'])
export class SupportEmailNotificationEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'conversation_id', type: String, length: 36 })
  conversationId!: string;

  @Column({ name: 'recipient_user_id', type: String, length: 36 })
  recipientUserId!: string;

  /** The candidate's read marker (`seq`) when the unread replies began. */
  @Column({ name: 'window_seq', type: 'int' })
  windowSeq!: number;

  /** The newest reply the e-mail carries. */
  @Column({ name: 'message_seq', type: 'int' })
  messageSeq!: number;

  @Column({ type: String, length: 16 })
  status!: EmailNotificationStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'last_error', type: String, length: 255, nullable: true })
  lastError!: string | null;
}
