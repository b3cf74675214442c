import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A label on a conversation. */
@Entity({ name: 'support_conversation_labels' })
@Index('uq_support_conversation_labels_pair', ['conversationId', 'labelId'], { unique: true })
@Index('ix_support_conversation_labels_label', ['labelId', 'conversationId'])
export class SupportConversationLabelEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'conversation_id', type: String, length: 36 })
  conversationId!: string;

  @Column({ name: 'label_id', type: String, length: 36 })
  labelId!: string;

  @Column({ name: 'added_by_user_id', type: String, length: 36 })
  addedByUserId!: string;

  @Column({ name: 'added_at', type: Date })
  addedAt!: Date;
}
