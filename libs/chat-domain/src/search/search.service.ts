import { HttpStatus, Injectable } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { toConversationDto } from '../conversations/dto/conversation-response.dto';
import { MAX_SEARCH_TERMS, MIN_SEARCH_TERM_LENGTH, searchTerms, snippetSegments } from '../domain/message-search';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { toMessageDto } from '../messages/dto/message-response.dto';
import { ConversationRepository, SearchRepository } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';
import { MessageSearchListDto, MessageSearchQueryDto } from './dto/message-search.dto';

/** Matching messages read per conversation wanted: several hits of one conversation collapse into one result. */
const MESSAGES_PER_RESULT = 4;

/**
 * Search over message text (issue 16): the database's full-text index finds the newest matching
 * messages; each conversation appears once, with its newest match and a snippet around it.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly search: SearchRepository,
    private readonly conversations: ConversationRepository,
    private readonly users: UserLookup,
  ) {}

  async searchMessages(actor: ChatActor, query: MessageSearchQueryDto): Promise<MessageSearchListDto> {
    const terms = searchTerms(query.q);
    if (terms.length === 0) {
      const message = `Escribe al menos una palabra de ${MIN_SEARCH_TERM_LENGTH} letras o más para buscar.`;
      throw new ChatError(ChatErrorCode.SearchQueryInvalid, message, HttpStatus.BAD_REQUEST, [{ field: 'q', code: ChatErrorCode.SearchQueryInvalid, message }]);
    }
    const limit = query.limit ?? 20;
    const scope = actor.kind === 'candidate' ? { audience: 'candidate' as const, candidateUserId: actor.id } : { audience: 'staff' as const };
    const hits = await this.search.matchingMessages(terms, scope, limit * MESSAGES_PER_RESULT);

    const newestPerConversation = new Map<string, string>();
    for (const hit of hits) {
      if (!newestPerConversation.has(hit.conversationId)) newestPerConversation.set(hit.conversationId, hit.id);
      if (newestPerConversation.size === limit) break;
    }
    const [messages, conversations] = await Promise.all([
      this.search.messagesByIds([...newestPerConversation.values()]),
      this.conversations.byIds([...newestPerConversation.keys()]),
    ]);
    const messageById = new Map(messages.map((message) => [message.id, message]));
    const conversationById = new Map(conversations.map((conversation) => [conversation.id, conversation]));
    const users = await this.users.byIds(
      conversations.flatMap((c) => [c.candidateUserId, c.assignedSupportUserId]).concat(messages.map((message) => message.senderUserId)),
    );

    const results: MessageSearchListDto['results'] = [];
    for (const [conversationId, messageId] of newestPerConversation) {
      const message = messageById.get(messageId);
      const conversation = conversationById.get(conversationId);
      if (!message || !conversation) continue;
      results.push({
        conversation: toConversationDto(conversation, users, actor),
        message: toMessageDto(message, users.get(message.senderUserId), actor),
        snippet: snippetSegments(message.content ?? '', terms),
      });
    }
    return { terms: terms.slice(0, MAX_SEARCH_TERMS), results };
  }
}
