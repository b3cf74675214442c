import { Injectable } from '@nestjs/common';

import { isUniqueViolation } from '../chat-transactions';
import { SupportChatSettingEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

export const SETTINGS_STATEMENTS = {
  byKey: defineStatement({
    name: 'SettingsRepository.byKey',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportChatSettingEntity, 's').where('s.setting_key = :settingKey'),
  }),
  insert: defineStatement({
    name: 'SettingsRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportChatSettingEntity),
  }),
  update: defineStatement({
    name: 'SettingsRepository.update',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportChatSettingEntity)
        .set({ value: () => ':value', updatedAt: () => ':updatedAt', updatedByUserId: () => ':updatedByUserId' })
        .where('setting_key = :settingKey'),
  }),
};

/** Settings shared by every instance (`support_chat_settings`), one JSON text per key. */
@Injectable()
export class SettingsRepository {
  private mapper: EntityMapper<SupportChatSettingEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  async get(settingKey: string): Promise<SupportChatSettingEntity | null> {
    const [row] = await this.db.cache.rows(SETTINGS_STATEMENTS.byKey, {}, { settingKey });
    return row ? this.settings().fromRow(row, 's') : null;
  }

  /** Writes the value (insert or update); of two first writes at once, the later one updates. */
  async put(setting: SupportChatSettingEntity): Promise<void> {
    const parameters = this.settings().insertParameters(setting);
    if ((await this.db.cache.execute(SETTINGS_STATEMENTS.update, {}, parameters)) > 0) return;
    try {
      await this.db.cache.execute(SETTINGS_STATEMENTS.insert, {}, parameters);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.db.cache.execute(SETTINGS_STATEMENTS.update, {}, parameters);
    }
  }

  private settings(): EntityMapper<SupportChatSettingEntity> {
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportChatSettingEntity);
    return this.mapper;
  }
}
