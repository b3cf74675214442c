import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import { ApiConfig } from '../config/api-config';

export const LOGIN_PER_IP = 'default';
export const LOGIN_PER_ACCOUNT = 'login-account';
const ACCOUNT_TRACKER_PREFIX = 'account:';

/**
 * The two login brakes: attempts per client IP per minute (one machine guessing many passwords) and
 * attempts per account per hour from anywhere (many machines guessing one account's password). The
 * account key is the submitted username, lower-cased; a body without one shares a single bucket.
 *
 * A side effect worth knowing: someone who knows a username can make its owner wait up to an hour by
 * failing on purpose. That is the usual trade-off of per-account limits; the window is short and the
 * limit (`LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR`) is configurable.
 */
export function loginThrottlers(config: Pick<ApiConfig, 'loginRateLimitPerMinute' | 'loginRateLimitPerAccountPerHour'>): ThrottlerOptions[] {
  return [
    { name: LOGIN_PER_IP, ttl: 60_000, limit: config.loginRateLimitPerMinute },
    {
      name: LOGIN_PER_ACCOUNT,
      ttl: 60 * 60_000,
      limit: config.loginRateLimitPerAccountPerHour,
      getTracker: (req: Record<string, unknown>) => {
        const username = ((req as unknown as Request).body as { username?: unknown } | undefined)?.username;
        return ACCOUNT_TRACKER_PREFIX + (typeof username === 'string' ? username.trim().toLowerCase().slice(0, 200) : '');
      },
    },
  ];
}

/** `ThrottlerGuard` with the API's error body: Spanish text, `code: rate_limited` and a plain `Retry-After`. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    const perAccount = detail.tracker.startsWith(ACCOUNT_TRACKER_PREFIX);
    const error = perAccount
      ? `Demasiados intentos de inicio de sesión para esta cuenta. Inténtalo de nuevo en ${Math.ceil(retryAfter / 60)} min.`
      : `Demasiados intentos de inicio de sesión desde esta dirección. Espera ${retryAfter} s e inténtalo de nuevo.`;
    throw new HttpException({ error, code: 'rate_limited' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
