import { inject } from '@angular/core';
import { patchState, signalStore, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, EMPTY, exhaustMap, pipe, switchMap, tap } from 'rxjs';

import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatApiService } from '@app/shared/chat/chat-api.service';

interface ChatPreferencesState {
  /** Null until loaded. */
  readonly emailWhenAway: boolean | null;
  readonly loading: boolean;
  readonly saving: boolean;
  readonly error: string | null;
}

/**
 * The candidate's chat preferences on "Mi perfil" (issue 17): e-mail when support answers and no tab is
 * open. `load` reads them; `setEmailWhenAway` saves a change (shown at once, put back if the save fails).
 */
export const ChatPreferencesStore = signalStore(
  withState<ChatPreferencesState>({ emailWhenAway: null, loading: false, saving: false, error: null }),
  withMethods((store, api = inject(ChatApiService)) => ({
    load: rxMethod<void>(
      pipe(
        tap(() => patchState(store, { loading: true, error: null })),
        exhaustMap(() =>
          api.preferences().pipe(
            tap((preferences) => patchState(store, { emailWhenAway: preferences.email_when_away, loading: false })),
            catchError((error: unknown) => {
              patchState(store, { loading: false, error: apiErrorMessage(error, 'No se pudieron cargar tus preferencias.') });
              return EMPTY;
            }),
          ),
        ),
      ),
    ),
    setEmailWhenAway: rxMethod<boolean>(
      pipe(
        switchMap((enabled) => {
          const previous = store.emailWhenAway();
          patchState(store, { emailWhenAway: enabled, saving: true, error: null });
          return api.updatePreferences({ email_when_away: enabled }).pipe(
            tap((saved) => patchState(store, { emailWhenAway: saved.email_when_away, saving: false })),
            catchError((error: unknown) => {
              patchState(store, { emailWhenAway: previous, saving: false, error: apiErrorMessage(error, 'No se pudo guardar tu preferencia.') });
              return EMPTY;
            }),
          );
        }),
      ),
    ),
  })),
);
