import { computed, inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, EMPTY, exhaustMap, pipe, tap } from 'rxjs';

import type { LabelDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { TeamToolsApiService } from './team-tools-api.service';

interface LabelsState {
  readonly labels: readonly LabelDto[];
  /** The caller may create, change and delete labels (the server's admin roles). */
  readonly canManage: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
}

/**
 * The team's labels (staff only): what the inbox filter, the conversation's label menu and the
 * management page offer. One for the app (labels are the whole team's); whoever shows them calls
 * `load()` (the inbox when it opens, the label menu each time it opens), so a change elsewhere shows up.
 */
export const LabelsStore = signalStore(
  { providedIn: 'root' },
  withState<LabelsState>({ labels: [], canManage: false, loaded: false, error: null }),
  withComputed(({ labels }) => ({
    byId: computed(() => new Map(labels().map((label) => [label.id, label]))),
  })),
  withMethods((store, api = inject(TeamToolsApiService)) => ({
    /** Loads (or reloads) the labels; a load in flight absorbs further calls. */
    load: rxMethod<void>(
      pipe(
        exhaustMap(() =>
          api.labels().pipe(
            tap((list) => patchState(store, { labels: list.labels, canManage: list.can_manage, loaded: true, error: null })),
            catchError((error: unknown) => {
              patchState(store, { loaded: true, error: apiErrorMessage(error, 'No se pudieron cargar las etiquetas.') });
              return EMPTY;
            }),
          ),
        ),
      ),
    ),
  })),
);

export type LabelsStore = InstanceType<typeof LabelsStore>;
