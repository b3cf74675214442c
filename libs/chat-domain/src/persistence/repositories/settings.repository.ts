import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

  async get(settingKey: string, manager?: EntityManager): Promise<SupportChatSettingEntity | null> {
    const [row] = await this.db.cache.rows(SETTINGS_STATEMENTS.byKey, {}, { settingKey }, manager);
    return row ? this.settings().fromRow(row, 's') : null;
  }

  /**
   * Writes the value (update, else insert) in the caller's transaction. Of two first writes at once, the
   * later one fails with a unique violation: the caller runs its transaction again (then it updates).
   */
  async put(manager: EntityManager, setting: SupportChatSettingEntity): Promise<void> {
    const parameters = this.settings().insertParameters(setting);
    if ((await this.db.cache.execute(SETTINGS_STATEMENTS.update, {}, parameters, manager)) > 0) return;
    await this.db.cache.execute(SETTINGS_STATEMENTS.insert, {}, parameters, manager);
  }

  private settings(): EntityMapper<SupportChatSettingEntity> {
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportChatSettingEntity);
    return this.mapper;
  }
}
