import { DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, exhaustMap, map, merge, Observable, of, Subject } from 'rxjs';

import { Api } from '@app/api/api';
import { supportChatControllerUnreadCount } from '@app/api/functions';
import { PollCadence } from '@app/shared/polling/poll-cadence';

/**
 * The signed-in user's total of unread chat messages, for the navbar and side-nav badges.
 * A shell calls `connect()` once; the count is then polled while the tab is visible, never with
 * two requests in flight. Chat pages call `refresh()` after marking a conversation as read.
 */
@Injectable({ providedIn: 'root' })
export class UnreadCountService {
  private readonly api = inject(Api);
  private readonly document = inject(DOCUMENT);
  private readonly cadence = inject(PollCadence);
  private readonly refreshRequests = new Subject<void>();
  private readonly countState = signal(0);

  /** Unread messages; keeps the last known value when a refresh fails. */
  readonly count = this.countState.asReadonly();

  /** Starts polling until `destroyRef` (usually the shell's) is destroyed. */
  connect(destroyRef: DestroyRef): void {
    merge(this.cadence.ticks(this.document), this.refreshRequests)
      .pipe(
        exhaustMap(() => this.fetch()),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((count) => {
        if (count !== null) this.countState.set(count);
      });
    destroyRef.onDestroy(() => this.countState.set(0));
  }

  /** Asks for a fresh count now (ignored while a request is already in flight). */
  refresh(): void {
    this.refreshRequests.next();
  }

  private fetch(): Observable<number | null> {
    return this.api.invoke(supportChatControllerUnreadCount).pipe(
      map((response) => response.unread_count),
      catchError(() => of(null)),
    );
  }
}
