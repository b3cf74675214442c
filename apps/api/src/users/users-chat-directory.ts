import { Injectable } from '@nestjs/common';
import { CandidateSearchQuery, ChatUserDirectory, ChatUserRecord } from '@support-chat/chat-domain';

import { ChatUserFields, UsersService } from './users.service';

export function toChatUserRecord(user: ChatUserFields): ChatUserRecord {
  return { id: user.id, role: user.role, full_name: user.fullName, is_active: user.isActive, username: user.username, email: user.email };
}

/** The chat module's view of the host's users (see `ChatUserDirectory`). */
@Injectable()
export class UsersChatDirectory implements ChatUserDirectory {
  constructor(private readonly users: UsersService) {}

  async findById(id: string): Promise<ChatUserRecord | null> {
    const user = await this.users.findChatUserById(id);
    return user ? toChatUserRecord(user) : null;
  }

  async findByIds(ids: readonly string[]): Promise<ChatUserRecord[]> {
    if (ids.length === 0) return [];
    return (await this.users.findChatUsersByIds(ids)).map(toChatUserRecord);
  }

  /** Active users only: a deactivated candidate cannot be offered for a new conversation. */
  async searchUsers(query: CandidateSearchQuery & { roles: readonly string[] }): Promise<ChatUserRecord[]> {
    return (await this.users.search({ roles: query.roles, search: query.search, limit: query.limit })).map(toChatUserRecord);
  }
}
