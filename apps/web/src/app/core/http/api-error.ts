import { HttpErrorResponse } from '@angular/common/http';

/** The API's error body: `{ error, code, details? }` (see the API's README). */
interface ApiErrorBody {
  error?: unknown;
  code?: unknown;
}

/** The stable machine code of an API error (`conversation_closed`, ...), or `null`. */
export function apiErrorCode(error: unknown): string | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const body = error.error as ApiErrorBody | null;
  return typeof body?.code === 'string' ? body.code : null;
}

/**
 * A Spanish message to show for a failed request: the API's own message when it sent one,
 * otherwise a message for the kind of failure, otherwise `fallback`.
 */
export function apiErrorMessage(error: unknown, fallback = 'Ocurrió un error inesperado. Intenta de nuevo.'): string {
  if (!(error instanceof HttpErrorResponse)) return fallback;
  if (error.status === 0) return 'No se pudo conectar con el servidor. Revisa tu conexión e intenta de nuevo.';
  const body = error.error as ApiErrorBody | null;
  if (typeof body?.error === 'string' && body.error.trim() !== '') return body.error;
  switch (error.status) {
    case 401:
      return 'Tu sesión no es válida. Inicia sesión de nuevo.';
    case 403:
      return 'No tienes permiso para realizar esta acción.';
    case 404:
      return 'No encontramos lo que buscabas.';
    case 413:
      return 'El contenido es demasiado grande.';
    case 429:
      return 'Demasiadas solicitudes. Espera un momento e intenta de nuevo.';
    default:
      return error.status >= 500 ? 'El servidor tuvo un problema. Intenta de nuevo en unos minutos.' : fallback;
  }
}
