import { Inject, Injectable } from '@nestjs/common';

import { CHAT_USER_DIRECTORY, type ChatUserDirectory, ChatUserRecord } from './chat-user-directory';

/** Resolves many user ids at once through the host's directory (one call, however many rows). */
@Injectable()
export class UserLookup {
  constructor(@Inject(CHAT_USER_DIRECTORY) private readonly directory: ChatUserDirectory) {}

  async byIds(ids: Iterable<string | null | undefined>): Promise<Map<string, ChatUserRecord>> {
    const unique = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id.length > 0))];
    if (unique.length === 0) return new Map();
    const records = await this.directory.findByIds(unique);
    return new Map(records.map((record) => [record.id, record]));
  }

  findById(id: string): Promise<ChatUserRecord | null> {
    return this.directory.findById(id);
  }

  searchIds(search: string, roles: readonly string[], limit: number): Promise<ChatUserRecord[]> {
    return this.directory.searchUsers({ search, roles, limit });
  }
}
