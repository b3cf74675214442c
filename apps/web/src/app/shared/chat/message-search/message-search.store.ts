import { inject } from '@angular/core';
import { patchState, signalStore, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, debounceTime, distinctUntilChanged, EMPTY, of, pipe, switchMap, tap } from 'rxjs';

import type { MessageSearchResultDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatApiService } from '../chat-api.service';

/** Wait after the last keystroke before searching. */
export const MESSAGE_SEARCH_DEBOUNCE_MS = 300;
/** Shorter queries are not sent (the API needs a word of two letters). */
const MIN_QUERY_LENGTH = 2;

interface MessageSearchState {
  readonly query: string;
  readonly results: readonly MessageSearchResultDto[];
  readonly loading: boolean;
  readonly error: string | null;
  /** The query the results answer (null before any search). */
  readonly searched: string | null;
}

/**
 * Search over message text (`GET /search/messages`): the query as typed, debounced; one request at a
 * time (a newer query cancels the one in flight). Provided by each chat page.
 */
export const MessageSearchStore = signalStore(
  withState<MessageSearchState>({ query: '', results: [], loading: false, error: null, searched: null }),
  withMethods((store, api = inject(ChatApiService)) => {
    const run = rxMethod<string>(
      pipe(
        debounceTime(MESSAGE_SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        switchMap((query) => {
          if (query.trim().length < MIN_QUERY_LENGTH) {
            patchState(store, { results: [], loading: false, error: null, searched: null });
            return EMPTY;
          }
          patchState(store, { loading: true, error: null });
          return api.searchMessages(query).pipe(
            tap((list) => patchState(store, { results: list.results, loading: false, searched: query })),
            catchError((error: unknown) => {
              patchState(store, { results: [], loading: false, error: apiErrorMessage(error, 'No se pudo buscar en los mensajes.'), searched: query });
              return of(null);
            }),
          );
        }),
      ),
    );
    return {
      setQuery(query: string): void {
        patchState(store, { query });
        run(query);
      },
      clear(): void {
        patchState(store, { query: '', results: [], loading: false, error: null, searched: null });
        run('');
      },
    };
  }),
);
