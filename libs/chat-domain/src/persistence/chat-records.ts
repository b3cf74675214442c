import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, QueryBuilder } from 'typeorm';

import { CompiledQueries, CompiledQuery, EntityMapper } from './compiled-query';
import { SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity } from './entities';
import { CHAT_DATA_SOURCE } from './tokens';

/**
 * The chat's tables as the hot paths use them: compiled statements (see `CompiledQuery`) and the
 * mappers between rows and entities. Reads that select an entity use the aliases `c` (conversation)
 * and `m` (message).
 */
@Injectable()
export class ChatRecords {
  private readonly compiled: CompiledQueries;
  private mappers:
    | {
        conversations: EntityMapper<SupportConversationEntity>;
        messages: EntityMapper<SupportMessageEntity>;
        participants: EntityMapper<SupportConversationParticipantEntity>;
      }
    | undefined;

  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.compiled = new CompiledQueries(dataSource);
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

  /** The compiled statement for `key`, built by `build` the first time (see `CompiledQueries`). */
  statement(key: string, build: () => QueryBuilder<ObjectLiteral> | string): CompiledQuery {
    return this.compiled.get(key, build);
  }

  async conversationById(id: string, manager?: EntityManager): Promise<SupportConversationEntity | null> {
    const [row] = await this.statement('conversation by id', () => this.dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id = :id')).rows(
      { id },
      manager,
    );
    return row ? this.conversations.fromRow(row, 'c') : null;
  }

  /** The sender's message with this idempotency key, in whatever conversation. */
  async messageByClientId(senderUserId: string, clientMessageId: string, manager?: EntityManager): Promise<SupportMessageEntity | null> {
    const [row] = await this.statement('message by client id', () =>
      this.dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where('m.sender_user_id = :senderUserId')
        .andWhere('m.client_message_id = :clientMessageId'),
    ).rows({ senderUserId, clientMessageId }, manager);
    return row ? this.messages.fromRow(row, 'm') : null;
  }

  /** A range of a conversation's timeline by `seq`, in order. */
  async messageRange(conversationId: string, fromSeq: number, toSeq: number, manager?: EntityManager): Promise<SupportMessageEntity[]> {
    const rows = await this.statement('message range', () =>
      this.dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where('m.conversation_id = :conversationId')
        .andWhere('m.seq BETWEEN :fromSeq AND :toSeq')
        .orderBy('m.seq', 'ASC'),
    ).rows({ conversationId, fromSeq, toSeq }, manager);
    return rows.map((row) => this.messages.fromRow(row, 'm'));
  }

  /** Each conversation's newest entry (the inbox preview). */
  async lastMessages(conversationIds: readonly string[]): Promise<Map<string, SupportMessageEntity>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.statement('last messages', () =>
      this.dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .innerJoin(SupportConversationEntity, 'c', 'c.id = m.conversation_id AND m.seq = c.last_message_seq')
        .where('m.conversation_id IN (:...conversationIds)'),
    ).rows({ conversationIds });
    return new Map(rows.map((row) => this.messages.fromRow(row, 'm')).map((message) => [message.conversationId, message]));
  }

  private entityMappers(): NonNullable<ChatRecords['mappers']> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mappers ??= {
      conversations: new EntityMapper(this.dataSource, SupportConversationEntity),
      messages: new EntityMapper(this.dataSource, SupportMessageEntity),
      participants: new EntityMapper(this.dataSource, SupportConversationParticipantEntity),
    };
    return this.mappers;
  }
}
