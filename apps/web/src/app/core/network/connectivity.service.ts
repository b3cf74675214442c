import { DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { Subject } from 'rxjs';

/**
 * Whether the browser has a network connection (`navigator.onLine` and its `online`/`offline`
 * events). "Online" only means a network is there, not that the API answers; it drives the offline
 * banner, presence shown as unknown, and resending and catching up when the connection comes back.
 */
@Injectable({ providedIn: 'root' })
export class ConnectivityService {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly state = signal(this.window?.navigator.onLine ?? true);
  private readonly reconnectedSubject = new Subject<void>();

  readonly online = this.state.asReadonly();
  /** Emits each time the connection comes back after being lost. */
  readonly reconnected$ = this.reconnectedSubject.asObservable();

  constructor() {
    const win = this.window;
    if (!win) return;
    const onOnline = () => {
      const wasOffline = !this.state();
      this.state.set(true);
      if (wasOffline) this.reconnectedSubject.next();
    };
    const onOffline = () => this.state.set(false);
    win.addEventListener('online', onOnline);
    win.addEventListener('offline', onOffline);
    inject(DestroyRef).onDestroy(() => {
      win.removeEventListener('online', onOnline);
      win.removeEventListener('offline', onOffline);
    });
  }
}
