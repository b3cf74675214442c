import type { UserDto } from '@app/api/models';

/**
 * The signed-in user as `POST /api/auth/login` and `GET /api/auth/me` return it
 * (generated from `openapi.json`; never copy its fields by hand).
 */
export type SessionUser = UserDto;
