import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  InjectionToken,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Observable } from 'rxjs';

import type { MessageDto } from '@app/api/models';
import { roleLabel } from '@app/core/auth/roles';
import { AttachmentViewComponent } from './attachment-view.component';
import type { ReadMarker } from './conversation.store';
import type { PendingMessage } from './outbox.store';
import { InViewDirective } from './in-view.directive';
import { TextPart, textParts } from './message-links';
import { seenUpToSeq } from './read-receipts';
import { firstUnreadSeq, OpenedUnread, timelineRows } from './timeline-rows';

/** "Now" for the day separators ("Hoy", "Ayer"); tests pin it. */
export const TIMELINE_CLOCK = new InjectionToken<() => Date>('TIMELINE_CLOCK', { providedIn: 'root', factory: () => () => new Date() });
/** Time zone of the day separators: the viewer's own (undefined) unless a test pins one. */
export const TIMELINE_TIME_ZONE = new InjectionToken<string | undefined>('TIMELINE_TIME_ZONE', { providedIn: 'root', factory: () => undefined });

/** Within this distance from the bottom the timeline follows new messages. */
const STICK_TO_BOTTOM_PX = 96;

/**
 * The conversation's history: messages with sender names and times, `system` messages as timeline
 * events, pending and failed sends. Older messages load when the top comes into view, keeping what
 * the reader sees in place; new messages follow the bottom only when the reader is already there (a
 * "Mensajes nuevos" button otherwise). Messages from others are announced to screen readers.
 */
@Component({
  selector: 'app-message-timeline',
  imports: [AttachmentViewComponent, DatePipe, InViewDirective, MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './message-timeline.component.html',
  styleUrl: './message-timeline.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageTimelineComponent {
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  readonly messages = input.required<readonly MessageDto[]>();
  readonly pending = input<readonly PendingMessage[]>([]);
  readonly currentUserId = input.required<string>();
  /** Staff see the role of every sender ("Soporte", "Administración"). */
  readonly showRoles = input(false);
  readonly hasOlder = input(false);
  readonly loadingOlder = input(false);
  /** The other participants' read markers: one's own messages up to the other side's show "Visto". */
  readonly readMarkers = input<readonly ReadMarker[]>([]);
  /** The conversation's candidate: tells "the other side" apart from one's colleagues. */
  readonly candidateUserId = input<string | null>(null);
  /** The caller's unread count when the conversation was opened: where "Mensajes nuevos" goes. */
  readonly openedUnread = input<OpenedUnread | null>(null);
  /** Messages that arrived after loading (from the store): announced and followed. */
  readonly arrivals = input<Observable<readonly MessageDto[]> | null>(null);
  /** The message the conversation was opened at (a search result): scrolled to and highlighted instead of the bottom. */
  readonly focusSeq = input<number | null>(null);

  readonly loadOlder = output<void>();
  readonly retry = output<string>();
  readonly discard = output<string>();

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  protected readonly announcement = signal('');
  protected readonly unseenBelow = signal(0);
  /** The `focusSeq` message once it has been scrolled to. */
  protected readonly highlightedSeq = signal<number | null>(null);
  protected readonly roleLabel = roleLabel;
  private readonly now = inject(TIMELINE_CLOCK);
  private readonly timeZone = inject(TIMELINE_TIME_ZONE);
  protected readonly items = computed(() => this.messages());
  /** `seq` of the first message that was unread on opening (`'older'`: above the loaded page). */
  protected readonly unreadSeq = computed(() =>
    firstUnreadSeq(this.messages(), this.openedUnread(), this.currentUserId(), this.candidateUserId(), this.hasOlder()),
  );
  protected readonly rows = computed(() => timelineRows(this.messages(), this.now(), this.unreadSeq(), this.timeZone));
  /** The "Mensajes nuevos" separator came into view (or was jumped to): the jump button goes away. */
  protected readonly unreadSeen = signal(false);
  private jumpPending = false;
  /** Highest `seq` the other side has read. */
  protected readonly seenSeq = computed(() => seenUpToSeq(this.readMarkers(), this.currentUserId(), this.candidateUserId()));
  /** The newest of one's own messages the other side has read: the one that says "Visto". */
  protected readonly lastSeenOwnId = computed(() => {
    const seen = this.seenSeq();
    const me = this.currentUserId();
    const messages = this.messages();
    for (let index = messages.length - 1; index >= 0; index--) {
      const message = messages[index];
      if (message.seq <= seen && message.sender_user_id === me && message.message_type !== 'system') return message.id;
    }
    return null;
  });

  private previousFirstId: string | null = null;
  private previousLastId: string | null = null;
  private previousPendingCount = 0;

  constructor() {
    // Before the view updates: measure; after it renders: restore or follow.
    effect(() => {
      const messages = this.messages();
      const pendingCount = this.pending().length;
      untracked(() => this.adjustScroll(messages, pendingCount));
    });
    effect((onCleanup) => {
      const arrivals = this.arrivals();
      if (!arrivals) return;
      const subscription = arrivals.subscribe((messages) => this.announce(messages));
      onCleanup(() => subscription.unsubscribe());
    });
    this.destroyRef.onDestroy(() => this.announcement.set(''));
  }

  protected isOwn(message: MessageDto): boolean {
    return message.sender_user_id === this.currentUserId();
  }

  /** Each message's text split into plain parts and links, computed once per message. */
  private readonly parts = computed(() => new Map(this.messages().map((message) => [message.id, textParts(message.content ?? '')])));

  protected partsOf(message: MessageDto): readonly TextPart[] {
    return this.parts().get(message.id) ?? textParts(message.content ?? '');
  }

  protected senderName(message: MessageDto): string {
    return this.isOwn(message) ? 'Tú' : message.sender.full_name;
  }

  protected onScroll(): void {
    if (this.isNearBottom()) this.unseenBelow.set(0);
  }

  protected scrollToBottom(): void {
    const element = this.scroller().nativeElement;
    element.scrollTop = element.scrollHeight;
    this.unseenBelow.set(0);
  }

  /** Scrolls to "Mensajes nuevos", loading older pages first when it lies above them. */
  protected jumpToFirstUnread(): void {
    const scroller = this.scroller().nativeElement;
    const divider = scroller.querySelector<HTMLElement>('[data-testid="unread-separator"]');
    if (divider) {
      this.jumpPending = false;
      this.unreadSeen.set(true);
      // Only the timeline scrolls (scrollIntoView would also scroll the page and shift the layout).
      scroller.scrollTop += divider.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
      divider.focus({ preventScroll: true });
      return;
    }
    if (this.unreadSeq() === 'older' && this.hasOlder()) {
      this.jumpPending = true;
      if (!this.loadingOlder()) this.loadOlder.emit();
    }
  }

  protected onTopVisible(): void {
    if (this.hasOlder() && !this.loadingOlder()) this.loadOlder.emit();
  }

  private isNearBottom(): boolean {
    const element = this.scroller().nativeElement;
    return element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_TO_BOTTOM_PX;
  }

  private adjustScroll(messages: readonly MessageDto[], pendingCount: number): void {
    const element = this.scroller().nativeElement;
    const firstId = messages[0]?.id ?? null;
    const lastId = messages[messages.length - 1]?.id ?? null;
    const initial = this.previousLastId === null && lastId !== null;
    const prepended = !initial && firstId !== this.previousFirstId && lastId === this.previousLastId && pendingCount === this.previousPendingCount;
    const appended = !initial && (lastId !== this.previousLastId || pendingCount > this.previousPendingCount);
    const ownSend = pendingCount > this.previousPendingCount;
    const wasNearBottom = this.isNearBottom();
    const distanceFromBottom = element.scrollHeight - element.scrollTop;
    this.previousFirstId = firstId;
    this.previousLastId = lastId;
    this.previousPendingCount = pendingCount;

    afterNextRender(
      () => {
        if (initial && this.scrollToFocus()) return;
        if (initial || (appended && (wasNearBottom || ownSend))) {
          element.scrollTop = element.scrollHeight;
        } else if (prepended) {
          // Keep the message the reader was looking at in the same place.
          element.scrollTop = element.scrollHeight - distanceFromBottom;
        }
        if (prepended && this.jumpPending) this.jumpToFirstUnread();
      },
      { injector: this.injector },
    );
  }

  /** Scrolls the `focusSeq` message to the middle of the timeline and highlights it; false when there is none. */
  private scrollToFocus(): boolean {
    const seq = this.focusSeq();
    if (seq === null) return false;
    const scroller = this.scroller().nativeElement;
    const target = scroller.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (!target) return false;
    // Only the timeline scrolls (scrollIntoView would also scroll the page).
    const offset = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop += offset - (scroller.clientHeight - target.offsetHeight) / 2;
    this.highlightedSeq.set(seq);
    return true;
  }

  private announce(messages: readonly MessageDto[]): void {
    const fromOthers = messages.filter((message) => !this.isOwn(message));
    if (fromOthers.length === 0) return;
    if (!this.isNearBottom()) this.unseenBelow.update((count) => count + fromOthers.length);
    const last = fromOthers[fromOthers.length - 1];
    const what =
      last.message_type === 'system'
        ? (last.content ?? 'Actualización de la conversación')
        : `${last.sender.full_name}: ${last.content ?? `archivo ${last.attachment?.name ?? ''}`.trim()}`;
    const prefix = fromOthers.length === 1 ? 'Nuevo mensaje de ' : `${fromOthers.length} mensajes nuevos. Último de `;
    this.announcement.set(last.message_type === 'system' ? what : `${prefix}${what}`);
  }
}
