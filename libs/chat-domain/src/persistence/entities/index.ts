import { SupportAuditEventEntity } from './support-audit-event.entity';
import { SupportConversationParticipantEntity } from './support-conversation-participant.entity';
import { SupportConversationEntity } from './support-conversation.entity';
import { SupportMessageEntity } from './support-message.entity';

export { SupportAuditEventEntity, SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity };

/** Add these to the host's TypeORM `entities` (or use `autoLoadEntities`). */
export const SUPPORT_CHAT_ENTITIES = [
  SupportConversationEntity,
  SupportConversationParticipantEntity,
  SupportMessageEntity,
  // H18a: audit trail
  SupportAuditEventEntity,
] as const;
