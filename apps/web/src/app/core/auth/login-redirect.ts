import { Router, UrlTree } from '@angular/router';

/** `/login?returnUrl=<url>`; the return URL is left out when it would only lead back to login. */
export function loginRedirect(router: Router, returnUrl: string | null | undefined): UrlTree {
  const keep = returnUrl && isSafeReturnUrl(returnUrl) && !returnUrl.startsWith('/login');
  return router.createUrlTree(['/login'], keep ? { queryParams: { returnUrl } } : {});
}

/**
 * Only app-internal paths are followed after sign-in: `/something`, never `//host`,
 * `/\host` or an absolute URL, so a crafted link cannot send the user to another site.
 */
export function isSafeReturnUrl(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
}
