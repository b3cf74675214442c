import { ApiProperty } from '../../openapi/api-docs';

import { ChatActor, chatSide, type ChatSide } from '../chat-actor';

/** The caller as the chat sees them, so a client can route by the server's role lists instead of its own. */
export class ChatMeDto {
  @ApiProperty() user_id!: string;
  @ApiProperty({ description: 'Rol del usuario en el sistema anfitrión.' }) role!: string;
  @ApiProperty({
    enum: ['candidate', 'staff', 'supervisor'],
    description:
      'Lado del chat según SUPPORT_CHAT_CANDIDATE_ROLES / SUPPORT_CHAT_STAFF_ROLES / SUPPORT_CHAT_SUPERVISOR_ROLES (`supervisor`: ve lo mismo que soporte, solo lectura). Un rol fuera del chat recibe 403 `forbidden_role`.',
  })
  kind!: ChatSide;
  @ApiProperty({
    description:
      'Si el usuario puede reabrir una conversación que soporte cerró (siempre para soporte; para candidatos según SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED).',
  })
  can_reopen_closed!: boolean;
  @ApiProperty({ description: 'Si el usuario puede consultar la bitácora de auditoría (supervisores y SUPPORT_CHAT_AUDIT_ROLES).' })
  can_audit!: boolean;
}

export const toChatMeDto = (actor: ChatActor, capabilities: { canReopenClosed: boolean; canAudit: boolean }): ChatMeDto => ({
  user_id: actor.id,
  role: actor.role,
  kind: chatSide(actor),
  can_reopen_closed: capabilities.canReopenClosed,
  can_audit: capabilities.canAudit,
});
