import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the audit trail: a staff action, who did it, when, on which conversation, and the
 * values before and after (JSON). Append-only: the repository has no update or delete.
 */
@Entity({ name: 'support_audit_events' })
@Index('ix_support_audit_events_time', ['occurredAt', 'id'])
@Index('ix_support_audit_events_actor_time', ['actorUserId', 'occurredAt'])
@Index('ix_support_audit_events_action_time', ['action', 'occurredAt'])
@Index('ix_support_audit_events_conversation_time', ['conversationId', 'occurredAt'])
export class SupportAuditEventEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'occurred_at', type: Date })
  occurredAt!: Date;

  @Column({ name: 'actor_user_id', type: String, length: 36 })
  actorUserId!: string;

  @Column({ name: 'actor_role', type: String, length: 64 })
  actorRole!: string;

  @Column({ name: 'action', type: String, length: 64 })
  action!: string;

  @Column({ name: 'conversation_id', type: String, length: 36, nullable: true })
  conversationId!: string | null;

  @Column({ name: 'before_json', type: String, nullable: true })
  beforeJson!: string | null;

  @Column({ name: 'after_json', type: String, nullable: true })
  afterJson!: string | null;
}
