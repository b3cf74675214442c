import { computed, inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, EMPTY, exhaustMap, forkJoin, Observable, pipe, switchMap, tap } from 'rxjs';

import { Api } from '@app/api/api';
import {
  supportChatReportsControllerLive,
  supportChatReportsControllerSummary$Csv,
  supportChatReportsControllerSummary$Json,
  supportChatReportsControllerVolume$Csv,
  supportChatReportsControllerVolume$Json,
} from '@app/api/functions';
import type { LiveAgentsDto, ReportSummaryDto, ReportVolumeDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';

export type ReportGroupBy = 'overall' | 'agent' | 'label';

/** A report period: local days (`YYYY-MM-DD`, America/Mexico_City on the server), both included. */
export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  readonly groupBy: ReportGroupBy;
}

interface ReportsState {
  readonly period: ReportPeriod;
  readonly summary: ReportSummaryDto | null;
  readonly volume: ReportVolumeDto | null;
  readonly live: LiveAgentsDto | null;
  readonly loading: boolean;
  readonly exporting: boolean;
  readonly error: string | null;
}

/** The last 30 days up to `today` (a `YYYY-MM-DD` day). */
export function last30Days(today: string): { from: string; to: string } {
  const [year, month, day] = today.split('-').map(Number);
  const start = new Date(Date.UTC(year, month - 1, day - 29));
  return { from: start.toISOString().slice(0, 10), to: today };
}

/** Today in Mexico City, the zone of the reports. */
export function todayInMexicoCity(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(now);
}

/** The reports page's state: the period, the summary table, the daily volume and the live panel, and the CSV exports. */
export const ReportsStore = signalStore(
  withState<ReportsState>({
    period: { ...last30Days(todayInMexicoCity()), groupBy: 'agent' },
    summary: null,
    volume: null,
    live: null,
    loading: false,
    exporting: false,
    error: null,
  }),
  withComputed((store) => ({
    totalOpened: computed(() => store.volume()?.days.reduce((sum, day) => sum + day.opened, 0) ?? 0),
  })),
  withMethods((store, api = inject(Api)) => {
    const load = rxMethod<ReportPeriod>(
      pipe(
        tap((period) => patchState(store, { period, loading: true, error: null })),
        switchMap((period) =>
          forkJoin({
            summary: api.invoke(supportChatReportsControllerSummary$Json, { from: period.from, to: period.to, group_by: period.groupBy }),
            volume: api.invoke(supportChatReportsControllerVolume$Json, { from: period.from, to: period.to }),
            live: api.invoke(supportChatReportsControllerLive),
          }).pipe(
            tap(({ summary, volume, live }) => patchState(store, { summary, volume, live, loading: false })),
            catchError((error: unknown) => {
              patchState(store, {
                summary: null,
                volume: null,
                live: null,
                loading: false,
                error: apiErrorMessage(error, 'No se pudieron cargar los reportes.'),
              });
              return EMPTY;
            }),
          ),
        ),
      ),
    );
    // The callback travels in an object: rxMethod would read a bare function as a signal.
    const exportCsv = rxMethod<{ table: 'summary' | 'volume'; save: (csv: string, filename: string) => void }>(
      pipe(
        exhaustMap(({ table, save }) => {
          const { from, to, groupBy } = store.period();
          patchState(store, { exporting: true, error: null });
          const request: Observable<unknown> =
            table === 'summary'
              ? api.invoke(supportChatReportsControllerSummary$Csv, { from, to, group_by: groupBy, format: 'csv' })
              : api.invoke(supportChatReportsControllerVolume$Csv, { from, to, format: 'csv' });
          return request.pipe(
            tap((csv) => {
              patchState(store, { exporting: false });
              save(String(csv), `reporte-${table === 'summary' ? 'resumen' : 'volumen'}-${from}-${to}.csv`);
            }),
            catchError((error: unknown) => {
              patchState(store, { exporting: false, error: apiErrorMessage(error, 'No se pudo exportar el reporte.') });
              return EMPTY;
            }),
          );
        }),
      ),
    );
    return {
      load: (changes: Partial<ReportPeriod> = {}) => load({ ...store.period(), ...changes }),
      exportCsv: (table: 'summary' | 'volume', save: (csv: string, filename: string) => void) => exportCsv({ table, save }),
    };
  }),
);
