import { SupportChatPreferenceEntity } from './support-chat-preference.entity';
import { SupportConversationParticipantEntity } from './support-conversation-participant.entity';
import { SupportConversationEntity } from './support-conversation.entity';
import { SupportEmailNotificationEntity } from './support-email-notification.entity';
import { SupportMessageEntity } from './support-message.entity';

export type { EmailNotificationStatus } from './support-email-notification.entity';
export { SupportChatPreferenceEntity, SupportConversationEntity, SupportConversationParticipantEntity, SupportEmailNotificationEntity, SupportMessageEntity };

/** Add these to the host's TypeORM `entities` (or use `autoLoadEntities`). */
export const SUPPORT_CHAT_ENTITIES = [
  SupportConversationEntity,
  SupportConversationParticipantEntity,
  SupportMessageEntity,
  SupportEmailNotificationEntity,
  SupportChatPreferenceEntity,
] as const;
