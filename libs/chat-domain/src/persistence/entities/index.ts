import { SupportChatSettingEntity } from './support-chat-setting.entity';
import { SupportConversationLabelEntity } from './support-conversation-label.entity';
import { SupportChatPreferenceEntity } from './support-chat-preference.entity';
import { SupportAuditEventEntity } from './support-audit-event.entity';
import { SupportConversationParticipantEntity } from './support-conversation-participant.entity';
import { SupportConversationRatingEntity } from './support-conversation-rating.entity';
import { SupportConversationEntity } from './support-conversation.entity';
import { SupportLabelEntity } from './support-label.entity';
import { SupportEmailNotificationEntity } from './support-email-notification.entity';
import { SupportMessageEntity } from './support-message.entity';
import { SupportQuickReplyEntity } from './support-quick-reply.entity';

export type { EmailNotificationStatus } from './support-email-notification.entity';
export {
  SupportAuditEventEntity,
  SupportChatPreferenceEntity,
  SupportChatSettingEntity,
  SupportConversationEntity,
  SupportConversationLabelEntity,
  SupportConversationParticipantEntity,
  SupportConversationRatingEntity,
  SupportEmailNotificationEntity,
  SupportLabelEntity,
  SupportMessageEntity,
  SupportQuickReplyEntity,
};

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
  SupportEmailNotificationEntity,
  SupportChatPreferenceEntity,
  // H18a: audit trail
  SupportAuditEventEntity,
] as const;
