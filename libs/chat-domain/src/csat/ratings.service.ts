import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { ChatActor } from '../auth/chat-actor';
import { ConversationsService } from '../conversations/conversations.service';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatTransactions } from '../persistence/chat-transactions';
import { SupportConversationEntity, SupportConversationRatingEntity } from '../persistence/entities';
import { ConversationRepository, RatingRepository } from '../persistence/repositories';
import { type ServiceHoursConfig, SUPPORT_CHAT_SERVICE_HOURS_CONFIG } from '../service-hours/service-hours.config';
import { RateConversationDto, RatingStateDto, toRatingDto } from './dto/rating.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The satisfaction survey: after each resolution (open -> resolved/closed, counted in
 * `resolution_count`), the conversation's candidate may rate it 1-5 with an optional comment, and
 * change it for `ratingEditDays` after that resolution. One rating per resolution; a reopened and
 * resolved again conversation gets a new one, the earlier ones are kept. Staff read them; writing is
 * never blocked by a missing rating.
 */
@Injectable()
export class RatingsService {
  constructor(
    @Inject(SUPPORT_CHAT_SERVICE_HOURS_CONFIG) private readonly config: ServiceHoursConfig,
    private readonly transactions: ChatTransactions,
    private readonly conversationsService: ConversationsService,
    private readonly conversations: ConversationRepository,
    private readonly ratings: RatingRepository,
  ) {}

  async state(actor: ChatActor, conversationId: string): Promise<RatingStateDto> {
    const conversation = await this.conversationsService.findVisible(actor, conversationId);
    return this.describe(actor, conversation, await this.ratings.ofConversation(conversation.id));
  }

  async rate(actor: ChatActor, conversationId: string, input: RateConversationDto): Promise<RatingStateDto> {
    await this.conversationsService.findVisible(actor, conversationId);
    if (actor.kind !== 'candidate') {
      throw new ChatError(ChatErrorCode.Forbidden, 'Solo el candidato de la conversación puede calificar la atención.', HttpStatus.FORBIDDEN);
    }
    const comment = input.comment ? input.comment : null;
    const { conversation, all } = await this.transactions.run(async (manager) => {
      // One writer per conversation: the rating of a resolution is read and written under its row lock.
      await this.conversations.lock(manager, conversationId);
      const current = await this.conversationsService.findVisible(actor, conversationId, manager);
      const now = new Date();
      const until = rateUntil(current, this.config.ratingEditDays);
      if (current.status === 'open' || !until) {
        throw new ChatError(ChatErrorCode.RatingNotAvailable, 'Podrás calificar la atención cuando la conversación esté resuelta.', HttpStatus.CONFLICT);
      }
      if (now > until) {
        throw new ChatError(
          ChatErrorCode.RatingWindowClosed,
          `El plazo de ${this.config.ratingEditDays} días para calificar esta atención terminó.`,
          HttpStatus.CONFLICT,
        );
      }
      const existing = (await this.ratings.ofConversation(current.id, manager)).find((rating) => rating.resolutionNumber === current.resolutionCount);
      if (existing) {
        await this.ratings.update(manager, existing.id, { rating: input.rating, comment, updatedAt: now });
      } else {
        await this.ratings.insert(
          manager,
          Object.assign(new SupportConversationRatingEntity(), {
            id: randomUUID(),
            conversationId: current.id,
            resolutionNumber: current.resolutionCount,
            candidateUserId: actor.id,
            rating: input.rating,
            comment,
            createdAt: now,
            updatedAt: now,
          }),
        );
      }
      // The staff list shows it from the conversation row (and its ETag includes `updated_at`).
      await this.conversations.recordRating(manager, current.id, input.rating, now);
      return { conversation: current, all: await this.ratings.ofConversation(current.id, manager) };
    });
    return this.describe(actor, conversation, all);
  }

  private describe(actor: ChatActor, conversation: SupportConversationEntity, all: SupportConversationRatingEntity[]): RatingStateDto {
    const until = conversation.status === 'open' ? null : rateUntil(conversation, this.config.ratingEditDays);
    const current = until ? (all.find((rating) => rating.resolutionNumber === conversation.resolutionCount) ?? null) : null;
    return {
      conversation_id: conversation.id,
      resolution_count: conversation.resolutionCount,
      can_rate: actor.kind === 'candidate' && until !== null && Date.now() <= until.getTime(),
      rate_until: until?.toISOString() ?? null,
      current: current ? toRatingDto(current) : null,
      ...(actor.kind === 'staff' ? { history: all.map(toRatingDto) } : {}),
    };
  }
}

/** Until when the current resolution may be rated; null when the conversation was never resolved. */
function rateUntil(conversation: SupportConversationEntity, days: number): Date | null {
  if (conversation.resolutionCount === 0 || !conversation.resolvedAt) return null;
  return new Date(conversation.resolvedAt.getTime() + days * DAY_MS);
}
