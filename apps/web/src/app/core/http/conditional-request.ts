import { HttpContext, HttpContextToken, HttpInterceptorFn } from '@angular/common/http';

/** The `ETag` a conditional GET revalidates; the API answers 304 when nothing changed. */
export const IF_NONE_MATCH = new HttpContextToken<string | null>(() => null);

export function ifNoneMatch(etag: string | null, context: HttpContext = new HttpContext()): HttpContext {
  return context.set(IF_NONE_MATCH, etag);
}

/**
 * Sends `If-None-Match` for requests that carry an `IF_NONE_MATCH` context (the generated API client
 * cannot set headers per call). The caller handles the 304, which HttpClient reports as an error.
 */
export const conditionalRequestInterceptor: HttpInterceptorFn = (request, next) => {
  const etag = request.context.get(IF_NONE_MATCH);
  return etag ? next(request.clone({ setHeaders: { 'If-None-Match': etag } })) : next(request);
};
