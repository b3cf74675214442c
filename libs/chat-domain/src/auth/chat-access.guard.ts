import { type CanActivate, ExecutionContext, Inject, Injectable, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';

import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ChatError, ChatErrors } from '../errors/chat-error';
import { CHAT_USER_DIRECTORY, type ChatUserDirectory, ChatUserRecord } from '../users/chat-user-directory';
import { CandidateActivity } from './candidate-activity';
import { AuthenticatedPrincipal, ChatActor } from './chat-actor';
import { SUPPORT_CHAT_HOST_AUTH_GUARD } from './tokens';

export const CHAT_ACTOR_REQUEST_KEY = 'supportChatActor';

export type RequestWithActor = { method?: string; user?: AuthenticatedPrincipal; [CHAT_ACTOR_REQUEST_KEY]?: ChatActor };

/** HTTP methods that read only: the ones a supervisor may call on any chat route. */
export const SUPERVISOR_SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];
export const SUPERVISOR_ALLOWED_KEY = 'supportChatSupervisorAllowed';

/**
 * Lets supervisors call a route whose HTTP method writes (e.g. `POST /events/ticket`, which only opens a
 * read stream). Every other non-GET route of the chat refuses them by default, also routes added later:
 * the rule lives in `ChatAccessGuard`, not in each handler. `reason` says why the route changes nothing
 * a supervisor must not change (the authorization-matrix test lists every route that carries it).
 */
export const SupervisorAllowed = (reason: string): MethodDecorator => SetMetadata(SUPERVISOR_ALLOWED_KEY, reason);

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
    private readonly reflector: Reflector,
    @Optional() private readonly activity?: CandidateActivity,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const verdict = this.hostGuard.canActivate(context);
    const authenticated = isObservable(verdict) ? await lastValueFrom(verdict) : await verdict;
    if (!authenticated) throw ChatErrors.unauthenticated();

    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const actor = await this.resolveActor(request.user?.id ?? request.user?.sub);
    request[CHAT_ACTOR_REQUEST_KEY] = actor;
    // Deny by default: a supervisor reaches a writing method only on a route marked @SupervisorAllowed().
    if (actor.supervisor && !SUPERVISOR_SAFE_METHODS.includes((request.method ?? '').toUpperCase())) {
      if (!this.reflector.get<string | undefined>(SUPERVISOR_ALLOWED_KEY, context.getHandler())) throw ChatErrors.supervisorReadOnly();
    }
    // A candidate's request means a tab of theirs is open (issue 17: no away e-mail meanwhile).
    if (actor.kind === 'candidate') this.activity?.touch(actor.id);
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
    if (this.config.supervisorRoles.includes(user.role)) return { id: user.id, role: user.role, full_name: user.full_name, kind: 'staff', supervisor: true };
    const kind = this.config.candidateRoles.includes(user.role) ? 'candidate' : this.config.staffRoles.includes(user.role) ? 'staff' : null;
    if (!kind) throw ChatErrors.forbiddenRole();
    return { id: user.id, role: user.role, full_name: user.full_name, kind };
  }
}
