import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { HostErrors } from '../common/host-errors';
import { HOST_CHAT_ROLES, type HostChatRoles } from '../config/api-config.module';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthenticatedUser } from './jwt.strategy';

export const CURRENT_USER_REQUEST_KEY = 'hostCurrentUser';
export const STAFF_ONLY = 'hostStaffOnly';

export type RequestWithCurrentUser = { user?: AuthenticatedUser; [CURRENT_USER_REQUEST_KEY]?: UserEntity };

/**
 * Runs after `JwtAuthGuard`: loads the token's user, refuses unknown and inactive accounts (401) and,
 * on routes marked staff-only, any role that is not one of the chat's staff roles (403).
 */
@Injectable()
export class CurrentUserGuard implements CanActivate {
  constructor(
    private readonly users: UsersService,
    private readonly reflector: Reflector,
    @Inject(HOST_CHAT_ROLES) private readonly roles: HostChatRoles,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCurrentUser>();
    const id = request.user?.id;
    if (!id) throw HostErrors.unauthenticated();
    const user = await this.users.findById(id);
    if (!user) throw HostErrors.unauthenticated();
    if (!user.isActive) throw HostErrors.userInactive();
    const staffOnly = this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, [context.getHandler(), context.getClass()]);
    if (staffOnly && !this.roles.staffRoles.includes(user.role)) throw HostErrors.staffOnly();
    request[CURRENT_USER_REQUEST_KEY] = user;
    return true;
  }
}
