import { DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, defer, EMPTY, exhaustMap, expand, finalize, map, merge, Observable, of, Subject } from 'rxjs';

import { Api } from '@app/api/api';
import { supportChatControllerUnreadCount } from '@app/api/functions';
import { PollCadence } from '@app/shared/polling/poll-cadence';

/**
 * The signed-in user's total of unread chat messages, for the navbar and side-nav badges.
 * A shell calls `connect()` once; the count is then polled while the tab is visible, never with
 * two requests in flight. Chat pages call `refresh()` after marking a conversation as read, and the
 * notifications call it when a message from someone else arrives (also in a hidden tab, where polling
 * pauses). A `refresh()` asked while a request is in flight runs once that one returns, so the count
 * never stays behind the last message.
 */
@Injectable({ providedIn: 'root' })
export class UnreadCountService {
  private readonly api = inject(Api);
  private readonly document = inject(DOCUMENT);
  private readonly cadence = inject(PollCadence);
  private readonly refreshRequests = new Subject<void>();
  private readonly countState = signal(0);
  private inFlight = false;
  private refreshAgain = false;

  /** Unread messages; keeps the last known value when a refresh fails. */
  readonly count = this.countState.asReadonly();

  /** Starts polling until `destroyRef` (usually the shell's) is destroyed. */
  connect(destroyRef: DestroyRef): void {
    merge(this.cadence.ticks(this.document), this.refreshRequests)
      .pipe(
        exhaustMap(() => this.fetchSettled()),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((count) => {
        if (count !== null) this.countState.set(count);
      });
    destroyRef.onDestroy(() => this.countState.set(0));
  }

  /** Asks for a fresh count now (ignored while a request is already in flight). */
  refresh(): void {
    if (this.inFlight) this.refreshAgain = true;
    this.refreshRequests.next();
  }

  /** One request, then one more for each run of `refresh()` calls made while it was in flight. */
  private fetchSettled(): Observable<number | null> {
    return defer(() => {
      this.inFlight = true;
      this.refreshAgain = false;
      return this.fetch().pipe(
        expand(() => {
          if (!this.refreshAgain) return EMPTY;
          this.refreshAgain = false;
          return this.fetch();
        }),
        finalize(() => (this.inFlight = false)),
      );
    });
  }

  private fetch(): Observable<number | null> {
    return this.api.invoke(supportChatControllerUnreadCount).pipe(
      map((response) => response.unread_count),
      catchError(() => of(null)),
    );
  }
}
