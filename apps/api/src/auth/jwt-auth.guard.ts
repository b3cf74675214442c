import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

import { HostErrors } from '../common/host-errors';
import { AuthenticatedUser, JWT_CLOCK_TOLERANCE_SECONDS } from './jwt.strategy';

/** Verified tokens remembered at most (oldest forgotten first): a few per signed-in user. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Tokens whose signature and claims passport-jwt has already checked, with what they carry. A token is
 * immutable and its checks depend only on the secret (fixed for the process) and the clock, so a token
 * verified once is valid until its expiry (plus the same clock tolerance): every later request with it
 * skips the HMAC, the two base64 decodes and the JSON parse. Keyed by the whole token, signature
 * included, so only the exact bytes that were verified match. Whether the account is still active is
 * not cached: the user is read on every request after this guard.
 */
export class VerifiedTokenCache {
  private readonly tokens = new Map<string, AuthenticatedUser>();

  constructor(
    private readonly capacity = VERIFIED_TOKEN_CACHE_SIZE,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get(token: string): AuthenticatedUser | undefined {
    const user = this.tokens.get(token);
    if (!user) return undefined;
    // jsonwebtoken's own rule: expired once the clock reaches exp + tolerance.
    if (this.nowSeconds() >= user.exp + JWT_CLOCK_TOLERANCE_SECONDS) {
      this.tokens.delete(token);
      return undefined;
    }
    return user;
  }

  set(token: string, user: AuthenticatedUser): void {
    if (this.tokens.size >= this.capacity && !this.tokens.has(token)) {
      this.tokens.delete(this.tokens.keys().next().value!);
    }
    this.tokens.set(token, user);
  }

  get size(): number {
    return this.tokens.size;
  }
}

const BEARER = /^Bearer ([^\s]+)$/i;

/**
 * Verifies the bearer token and sets `request.user = { id, exp }`. This is the guard the host hands to
 * `SupportChatModule` as `authGuard`; it does not look the user up (the chat and `@Authenticated()`
 * do, so that a deactivated account is refused at once). passport-jwt verifies a token the first time
 * it is seen; later requests with the same token reuse that verification (`VerifiedTokenCache`).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new VerifiedTokenCache();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthenticatedUser }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const known = token ? this.verified.get(token) : undefined;
    if (known) {
      request.user = { ...known };
      return true;
    }
    const allowed = (await super.canActivate(context)) as boolean;
    if (allowed && token && request.user) this.verified.set(token, request.user);
    return allowed;
  }

  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false | null | undefined): TUser {
    if (error || !user) throw HostErrors.unauthenticated();
    return user;
  }
}
