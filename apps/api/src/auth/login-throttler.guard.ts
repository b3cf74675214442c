import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import { ApiConfig } from '../config/api-config';

export const LOGIN_PER_IP = 'default';
export const LOGIN_PER_ACCOUNT = 'login-account';
const ACCOUNT_TRACKER_PREFIX = 'account:';

/** Finds the account a login names, with the database's own comparison (the login's lookup). */
export type AccountLookup = (username: string) => Promise<{ id: string } | null>;

/** The login DTO's limit: longer names are refused by validation, so they are never looked up. */
const MAX_USERNAME_LENGTH = 150;

/**
 * The two login brakes: attempts per client IP per minute (one machine guessing many passwords) and
 * attempts per account per hour from anywhere (many machines guessing one account's password).
 *
 * The account is the one the login would reach, looked up the way the login does, and keyed by its id:
 * the database decides which spellings name it (MariaDB's default collation treats `gerénte1`,
 * `GERENTE1` and `gerente1 ` as `gerente1`, so keying by the text gave each spelling its own allowance).
 * A name that matches no account is keyed by itself, lower-cased and without accents; a body without
 * one shares a single bucket. The client IP is the socket's, or the forwarded one with `TRUST_PROXY`.
 *
 * A side effect worth knowing: someone who knows a username can make its owner wait up to an hour by
 * failing on purpose. That is the usual trade-off of per-account limits; the window is short and the
 * limit (`LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR`) is configurable.
 */
export function loginThrottlers(
  config: Pick<ApiConfig, 'loginRateLimitPerMinute' | 'loginRateLimitPerAccountPerHour'>,
  findAccount: AccountLookup,
): ThrottlerOptions[] {
  return [
    { name: LOGIN_PER_IP, ttl: 60_000, limit: config.loginRateLimitPerMinute },
    {
      name: LOGIN_PER_ACCOUNT,
      ttl: 60 * 60_000,
      limit: config.loginRateLimitPerAccountPerHour,
      getTracker: async (req: Record<string, unknown>) => {
        const username = ((req as unknown as Request).body as { username?: unknown } | undefined)?.username;
        if (typeof username !== 'string' || username.trim() === '' || username.length > MAX_USERNAME_LENGTH) return ACCOUNT_TRACKER_PREFIX;
        const account = await findAccount(username);
        return account ? `${ACCOUNT_TRACKER_PREFIX}id:${account.id}` : `${ACCOUNT_TRACKER_PREFIX}name:${foldUsername(username)}`;
      },
    },
  ];
}

/** Case, accents and surrounding spaces folded away: the most lenient comparison a database makes. */
export function foldUsername(username: string): string {
  return username.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase();
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
