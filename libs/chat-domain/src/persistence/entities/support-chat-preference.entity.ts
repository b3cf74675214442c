import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's chat preferences; no row means the defaults. */
@Entity({ name: 'support_chat_preferences' })
export class SupportChatPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: String, length: 36 })
  userId!: string;

  /** 1: e-mail unread replies when the candidate has no tab open (the default); 0: never. */
  @Column({ name: 'email_when_away', type: 'int' })
  emailWhenAway!: number;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
