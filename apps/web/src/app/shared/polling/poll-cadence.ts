import { inject, Injectable } from '@angular/core';
import { BehaviorSubject, distinctUntilChanged, map, Observable, skip, switchMap } from 'rxjs';

import { APP_SETTINGS } from '@app/core/config/app-settings';
import { visibleTicks } from './visible-ticks';

/** Polling interval while the realtime stream is healthy: a slow safety net only. */
export const SAFETY_POLL_INTERVAL_MS = 60_000;

/**
 * How often the polling stores poll. `pollIntervalMs` normally; while the realtime event stream is
 * connected and healthy, a slow safety interval (events do the work). The realtime service flips it.
 */
@Injectable({ providedIn: 'root' })
export class PollCadence {
  private readonly settings = inject(APP_SETTINGS);
  private readonly streamHealthy = new BehaviorSubject(false);

  /** The current polling interval in milliseconds. */
  readonly intervalMs$: Observable<number> = this.streamHealthy.pipe(
    map((healthy) => (healthy ? Math.max(SAFETY_POLL_INTERVAL_MS, this.settings.pollIntervalMs) : this.settings.pollIntervalMs)),
    distinctUntilChanged(),
  );

  setStreamHealthy(healthy: boolean): void {
    if (this.streamHealthy.value !== healthy) this.streamHealthy.next(healthy);
  }

  /**
   * `visibleTicks` at the current interval: emits at once, then every interval while visible. A change
   * of interval restarts the timer without an extra immediate tick.
   */
  ticks(document: Document): Observable<void> {
    return this.intervalMs$.pipe(switchMap((ms, index) => (index === 0 ? visibleTicks(ms, document) : visibleTicks(ms, document).pipe(skip(1)))));
  }
}
