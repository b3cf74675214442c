import { ApiProperty, ApiPropertyOptional } from '../openapi/api-docs';

import { ChatActor } from '../auth/chat-actor';
import { ChatUserRecord } from './chat-user-directory';

/** A user as shown inside the chat: names only for candidates, contact data for staff viewers. */
export class UserSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Ana López' }) full_name!: string;
  @ApiProperty({ example: 'soporte' }) role!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Solo visible para soporte.' }) username?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Solo visible para soporte.' }) email?: string | null;
}

/** Used when the directory no longer knows a user (deleted from the host). */
const UNKNOWN_USER_NAME = 'Usuario no disponible';

export function toUserSummary(userId: string, record: ChatUserRecord | undefined, viewer: ChatActor): UserSummaryDto {
  const summary: UserSummaryDto = { id: userId, full_name: record?.full_name ?? UNKNOWN_USER_NAME, role: record?.role ?? 'desconocido' };
  if (viewer.kind === 'staff') {
    summary.username = record?.username ?? null;
    summary.email = record?.email ?? null;
  }
  return summary;
}
