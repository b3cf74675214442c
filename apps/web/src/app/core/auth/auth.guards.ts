import { inject } from '@angular/core';
import { CanActivateChildFn, CanActivateFn, RedirectFunction, Router } from '@angular/router';

import { AuthService } from './auth.service';
import { loginRedirect } from './login-redirect';
import { AREA_HOME, RoleArea, SUPPORT_AREAS } from './roles';

type RouteGuard = CanActivateFn & CanActivateChildFn;

/** Lets signed-in users through; everyone else goes to `/login?returnUrl=<requested url>`. */
export const authGuard: RouteGuard = (_route, state) => inject(AuthService).hasValidSession() || loginRedirect(inject(Router), state.url);

/**
 * Lets through only users of one area. Staff who open a candidate page are sent to their
 * workspace; anyone else (a candidate on `/support/**`, a role outside the chat) sees
 * the "Sin acceso" page.
 */
export function areaGuard(...areas: Exclude<RoleArea, 'none'>[]): RouteGuard {
  return (_route, state) => {
    const auth = inject(AuthService);
    const router = inject(Router);
    if (!auth.hasValidSession()) return loginRedirect(router, state.url);
    const userArea = auth.area();
    if (areas.includes(userArea as Exclude<RoleArea, 'none'>)) return true;
    if (SUPPORT_AREAS.includes(userArea)) return router.parseUrl(AREA_HOME[userArea]);
    return router.parseUrl(AREA_HOME.none);
  };
}

/** Candidate shell: `/inicio`, `/perfil`, `/chat-soporte`. */
export const candidateGuard: RouteGuard = areaGuard('candidate');

/** Support shell: `/support/**`, for staff and (read-only) supervisors. */
export const staffGuard: RouteGuard = areaGuard('staff', 'supervisor');

/** `/support/auditoria`: only users the server lets read the audit trail (`can_audit`). */
export const auditGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  return auth.canAudit() || inject(Router).parseUrl(AREA_HOME[auth.area()]);
};

/** The sign-in page is for signed-out users; signed-in users go to their home. */
export const guestGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  return auth.hasValidSession() ? inject(Router).parseUrl(auth.homeUrl()) : true;
};

/** `/` sends each user to their home, or to sign in. */
export const redirectToHome: RedirectFunction = () => {
  const auth = inject(AuthService);
  return auth.hasValidSession() ? auth.homeUrl() : '/login';
};
