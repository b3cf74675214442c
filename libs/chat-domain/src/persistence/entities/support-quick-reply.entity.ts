import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A canned answer: personal (`owner_user_id` set) or shared by the team (`owner_user_id` NULL). */
@Entity({ name: 'support_quick_replies' })
@Index('uq_support_quick_replies_scope_shortcut', ['ownerScope', 'shortcutKey'], { unique: true })
@Index('ix_support_quick_replies_scope_position', ['ownerScope', 'position'])
export class SupportQuickReplyEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  /** `team` or `user:<owner_user_id>`. */
  @Column({ name: 'owner_scope', type: String, length: 48 })
  ownerScope!: string;

  @Column({ name: 'owner_user_id', type: String, length: 36, nullable: true })
  ownerUserId!: string | null;

  @Column({ name: 'title', type: String, length: 100 })
  title!: string;

  @Column({ name: 'body', type: String })
  body!: string;

  @Column({ name: 'shortcut', type: String, length: 32, nullable: true })
  shortcut!: string | null;

  /** The shortcut in lower case, or `#<id>` when there is none. */
  @Column({ name: 'shortcut_key', type: String, length: 48 })
  shortcutKey!: string;

  @Column({ name: 'position', type: 'int' })
  position!: number;

  @Column({ name: 'created_by_user_id', type: String, length: 36 })
  createdByUserId!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
