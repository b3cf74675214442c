import { SupportChatSettingEntity } from './support-chat-setting.entity';
import { SupportConversationLabelEntity } from './support-conversation-label.entity';
import { SupportConversationParticipantEntity } from './support-conversation-participant.entity';
import { SupportConversationRatingEntity } from './support-conversation-rating.entity';
import { SupportConversationEntity } from './support-conversation.entity';
import { SupportLabelEntity } from './support-label.entity';
import { SupportMessageEntity } from './support-message.entity';
import { SupportQuickReplyEntity } from './support-quick-reply.entity';

export { SupportChatSettingEntity, SupportConversationEntity, SupportConversationLabelEntity, SupportConversationParticipantEntity, SupportConversationRatingEntity, SupportLabelEntity, SupportMessageEntity, SupportQuickReplyEntity };

/** Add these to the host's TypeORM `entities` (or use `autoLoadEntities`). */
export const SUPPORT_CHAT_ENTITIES = [
  SupportConversationEntity,
  SupportConversationParticipantEntity,
  SupportMessageEntity,
  SupportConversationRatingEntity,
  SupportChatSettingEntity,
  SupportQuickReplyEntity,
  SupportLabelEntity,
  SupportConversationLabelEntity,
] as const;
