import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { AuthService } from '../auth/auth.service';
import { LOGIN_PATH } from './api-url';
import { loginRedirect } from '../auth/login-redirect';

/**
 * A 401 on a request that carried our token means the session is over (expired, revoked, user
 * deactivated): sign out and go to `/login?returnUrl=<where the user was>`. Failed sign-ins
 * (401 from the login endpoint) are left to the login form.
 */
export const unauthorizedInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return next(request).pipe(
    catchError((error: unknown) => {
      const sessionRejected =
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        !request.url.endsWith(LOGIN_PATH) &&
        request.headers.has('Authorization') &&
        auth.isAuthenticated();
      if (sessionRejected) {
        auth.expireSession();
        const navigation = router.currentNavigation();
        const returnUrl = navigation ? router.serializeUrl(navigation.finalUrl ?? navigation.extractedUrl) : router.url;
        void router.navigateByUrl(loginRedirect(router, returnUrl));
      }
      return throwError(() => error);
    }),
  );
};
