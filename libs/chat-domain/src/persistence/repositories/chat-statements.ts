import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SUPPORT_CHAT_CONFIG, type SupportChatConfig } from '../../config/support-chat.config';
import { SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity } from '../entities';
import { CHAT_DATA_SOURCE } from '../tokens';
import { EntityMapper } from './compiled-query';
import { StatementCache } from './statement-cache';

/**
 * What the repositories share: the data source, its statement cache and the row mappers. Private to
 * `persistence/repositories/` (not exported from the package): services call repository methods.
 */
@Injectable()
export class ChatStatements {
  readonly cache: StatementCache;
  private mappers:
    | {
        conversations: EntityMapper<SupportConversationEntity>;
        messages: EntityMapper<SupportMessageEntity>;
        participants: EntityMapper<SupportConversationParticipantEntity>;
      }
    | undefined;

  constructor(
    @Inject(CHAT_DATA_SOURCE) readonly dataSource: DataSource,
    @Inject(SUPPORT_CHAT_CONFIG) config: SupportChatConfig,
  ) {
    this.cache = new StatementCache(dataSource, { preparedStatements: config.postgresPreparedStatements });
  }

  get conversations(): EntityMapper<SupportConversationEntity> {
    return this.entityMappers().conversations;
  }

  get messages(): EntityMapper<SupportMessageEntity> {
    return this.entityMappers().messages;
  }

  get participants(): EntityMapper<SupportConversationParticipantEntity> {
    return this.entityMappers().participants;
  }

  /** SQLite has no row locks (writes are serialised by `ChatTransactions`). */
  get hasRowLocks(): boolean {
    return this.dataSource.options.type !== 'better-sqlite3';
  }

  private entityMappers(): NonNullable<ChatStatements['mappers']> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mappers ??= {
      conversations: new EntityMapper(this.dataSource, SupportConversationEntity),
      messages: new EntityMapper(this.dataSource, SupportMessageEntity),
      participants: new EntityMapper(this.dataSource, SupportConversationParticipantEntity),
    };
    return this.mappers;
  }
}
