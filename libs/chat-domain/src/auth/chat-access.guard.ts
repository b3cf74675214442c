import { type CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';

import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ChatError, ChatErrors } from '../errors/chat-error';
import { CHAT_USER_DIRECTORY, type ChatUserDirectory, ChatUserRecord } from '../users/chat-user-directory';
import { AuthenticatedPrincipal, ChatActor } from './chat-actor';
import { SUPPORT_CHAT_HOST_AUTH_GUARD } from './tokens';

export const CHAT_ACTOR_REQUEST_KEY = 'supportChatActor';

export type RequestWithActor = { user?: AuthenticatedPrincipal; [CHAT_ACTOR_REQUEST_KEY]?: ChatActor };

/** When the caller's credential expires (ms since the epoch), from the host's `exp`; null when the host gives none. */
export function credentialExpiry(principal: AuthenticatedPrincipal | undefined): number | null {
  const exp = principal?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : null;
}

/**
 * Authenticates with the host's own guard (the chat does not know how tokens look), then loads the
 * user through the directory on every request so that a deactivated account or a changed role takes
 * effect at once, not when the token expires.
 */
@Injectable()
export class ChatAccessGuard implements CanActivate {
  constructor(
    @Inject(SUPPORT_CHAT_HOST_AUTH_GUARD) private readonly hostGuard: CanActivate,
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const verdict = this.hostGuard.canActivate(context);
    const authenticated = isObservable(verdict) ? await lastValueFrom(verdict) : await verdict;
    if (!authenticated) throw ChatErrors.unauthenticated();

    const request = context.switchToHttp().getRequest<RequestWithActor>();
    request[CHAT_ACTOR_REQUEST_KEY] = await this.resolveActor(request.user?.id ?? request.user?.sub);
    return true;
  }

  /** Also used by the realtime transports, which authenticate outside the HTTP pipeline. */
  async resolveActor(userId: string | undefined): Promise<ChatActor> {
    if (!userId) throw ChatErrors.unauthenticated();
    return this.actorFrom(await this.users.findById(userId));
  }

  /** The same rule for many users in one directory call (the realtime re-check): an actor, or why access is lost. */
  async resolveActors(userIds: readonly string[]): Promise<Map<string, ChatActor | ChatError>> {
    const records = new Map((await this.users.findByIds(userIds)).map((record) => [record.id, record]));
    const result = new Map<string, ChatActor | ChatError>();
    for (const id of userIds) {
      try {
        result.set(id, this.actorFrom(records.get(id) ?? null));
      } catch (error) {
        if (!(error instanceof ChatError)) throw error;
        result.set(id, error);
      }
    }
    return result;
  }

  private actorFrom(user: ChatUserRecord | null): ChatActor {
    if (!user) throw ChatErrors.unauthenticated();
    if (!user.is_active) throw ChatErrors.userInactive();
    const kind = this.config.candidateRoles.includes(user.role) ? 'candidate' : this.config.staffRoles.includes(user.role) ? 'staff' : null;
    if (!kind) throw ChatErrors.forbiddenRole();
    return { id: user.id, role: user.role, full_name: user.full_name, kind };
  }
}
