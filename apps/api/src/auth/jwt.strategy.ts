import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { API_CONFIG, type ApiConfig } from '../config/api-config';

export const JWT_ISSUER = 'support-chat-api';
export const JWT_AUDIENCE = 'support-chat';
/** Seconds of clock skew tolerated between the signer and this server. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

/** What the host puts in its access tokens: the user id and nothing personal. */
export interface AccessTokenPayload {
  sub: string;
  iat?: number;
  exp?: number;
}

/**
 * What `JwtAuthGuard` leaves on `request.user`; the chat module reads `id`, and `exp` to close realtime
 * connections opened with this token when it expires.
 */
export interface AuthenticatedUser {
  id: string;
  /** The token's expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Bearer tokens signed with HS256 only (an `alg: none` or RS256 token is rejected before its signature
 * is even looked at), with the issuer, audience and an expiry required.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject rather than the string: given a string, jsonwebtoken first tries to parse it as a
      // public key on every request and throws, a visible share of each request's CPU. passport-jwt hands the
      // value through untouched; its type only names string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS },
    });
  }

  /** Returning `false` makes passport answer 401. */
  validate(payload: AccessTokenPayload): AuthenticatedUser | false {
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 36) return false;
    if (typeof payload.exp !== 'number') return false;
    return { id: payload.sub, exp: payload.exp };
  }
}
