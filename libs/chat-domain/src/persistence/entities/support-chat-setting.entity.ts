import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One setting shared by every instance (a JSON value per key). */
@Entity({ name: 'support_chat_settings' })
export class SupportChatSettingEntity {
  @PrimaryColumn({ name: 'setting_key', type: String, length: 64 })
  settingKey!: string;

  @Column({ name: 'value', type: String })
  value!: string;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @Column({ name: 'updated_by_user_id', type: String, length: 36, nullable: true })
  updatedByUserId!: string | null;
}
