import { SupportChatSettingEntity } from './support-chat-setting.entity';
import { SupportConversationParticipantEntity } from './support-conversation-participant.entity';
import { SupportConversationRatingEntity } from './support-conversation-rating.entity';
import { SupportConversationEntity } from './support-conversation.entity';
import { SupportMessageEntity } from './support-message.entity';

export { SupportChatSettingEntity, SupportConversationEntity, SupportConversationParticipantEntity, SupportConversationRatingEntity, SupportMessageEntity };

/** Add these to the host's TypeORM `entities` (or use `autoLoadEntities`). */
export const SUPPORT_CHAT_ENTITIES = [
  SupportConversationEntity,
  SupportConversationParticipantEntity,
  SupportMessageEntity,
  SupportConversationRatingEntity,
  SupportChatSettingEntity,
] as const;
