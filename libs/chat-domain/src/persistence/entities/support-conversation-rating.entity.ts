import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A candidate's satisfaction rating (1-5) of one resolution of a conversation. */
@Entity({ name: 'support_conversation_ratings' })
@Index('uq_support_ratings_conversation_resolution', ['conversationId', 'resolutionNumber'], { unique: true })
export class SupportConversationRatingEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'conversation_id', type: String, length: 36 })
  conversationId!: string;

  /** The conversation's `resolution_count` at the resolution this rating is about. */
  @Column({ name: 'resolution_number', type: 'int' })
  resolutionNumber!: number;

  @Column({ name: 'candidate_user_id', type: String, length: 36 })
  candidateUserId!: string;

  @Column({ name: 'rating', type: 'int' })
  rating!: number;

  @Column({ name: 'comment', type: String, length: 1000, nullable: true })
  comment!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
