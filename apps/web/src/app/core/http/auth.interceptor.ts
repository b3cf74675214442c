import { HttpInterceptorFn } from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';

import { AuthService } from '../auth/auth.service';
import { isApiUrl } from './api-url';

/** Adds `Authorization: Bearer <token>` to requests for our own API, never to other origins. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const token = inject(AuthService).accessToken();
  const origin = inject(DOCUMENT).location?.origin ?? null;
  if (!token || request.headers.has('Authorization') || !isApiUrl(request.url, origin)) {
    return next(request);
  }
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};
