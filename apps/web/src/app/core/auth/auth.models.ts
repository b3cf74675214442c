/**
 * The signed-in user as the API returns it from `POST /api/auth/login` and `GET /api/auth/me`.
 * TEMPORARY: replaced by the generated model once `openapi.json` is committed.
 */
export interface SessionUser {
  id: string;
  username: string;
  full_name: string;
  role: string;
  email?: string | null;
}
