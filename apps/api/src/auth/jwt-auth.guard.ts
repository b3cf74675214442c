import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

import { HostErrors } from '../common/host-errors';
import { AuthenticatedUser } from './jwt.strategy';

/**
 * Verifies the bearer token and sets `request.user = { id }`. This is the guard the host hands to
 * `SupportChatModule` as `authGuard`; it does not look the user up (the chat and `@Authenticated()`
 * do, so that a deactivated account is refused at once).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false | null | undefined): TUser {
    if (error || !user) throw HostErrors.unauthenticated();
    return user;
  }
}
