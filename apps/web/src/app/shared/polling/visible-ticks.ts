import { distinctUntilChanged, EMPTY, fromEvent, map, Observable, startWith, switchMap, timer } from 'rxjs';

/**
 * Emits right away and then every `intervalMs`, but only while the page is visible: hiding the
 * tab pauses the ticks and showing it again emits at once. Pair it with `exhaustMap` so that a
 * slow request is never overlapped by the next one.
 */
export function visibleTicks(intervalMs: number, document: Document): Observable<void> {
  const isVisible = () => document.visibilityState !== 'hidden';
  return fromEvent(document, 'visibilitychange').pipe(
    map(isVisible),
    startWith(isVisible()),
    distinctUntilChanged(),
    switchMap((visible) => (visible ? timer(0, intervalMs).pipe(map(() => undefined)) : EMPTY)),
  );
}
