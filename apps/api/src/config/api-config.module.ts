import { DynamicModule, Global, Module } from '@nestjs/common';
import { loadSupportChatConfig } from '@support-chat/chat-domain';

import { API_CONFIG, ApiConfig } from './api-config';

/** Which roles the chat treats as candidates and as staff; the host's user directory endpoint uses it too. */
export interface HostChatRoles {
  candidateRoles: readonly string[];
  staffRoles: readonly string[];
}

export const HOST_CHAT_ROLES = Symbol('HOST_CHAT_ROLES');

/** Makes the host's configuration injectable everywhere (`@Inject(API_CONFIG)`). */
@Global()
@Module({})
export class ApiConfigModule {
  static forRoot(config: ApiConfig): DynamicModule {
    // Same variables the chat module reads (`SUPPORT_CHAT_CANDIDATE_ROLES` / `SUPPORT_CHAT_STAFF_ROLES`).
    const { candidateRoles, staffRoles } = loadSupportChatConfig(config.env);
    return {
      module: ApiConfigModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: HOST_CHAT_ROLES, useValue: Object.freeze({ candidateRoles, staffRoles }) },
      ],
      exports: [API_CONFIG, HOST_CHAT_ROLES],
    };
  }
}
