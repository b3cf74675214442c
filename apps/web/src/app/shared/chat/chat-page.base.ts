import { BreakpointObserver } from '@angular/cdk/layout';
import { afterNextRender, computed, DestroyRef, Directive, effect, inject, Injector, input, signal, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { map } from 'rxjs';

import type { ConversationDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { ConnectivityService } from '@app/core/network/connectivity.service';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ConversationListComponent } from './conversation-list.component';
import { ConversationListStore } from './conversation-list.store';
import { ConversationStore } from './conversation.store';
import { NewConversationDialogComponent, NewConversationDialogData } from './new-conversation-dialog.component';

/** Below this width the list and the conversation are shown one at a time. */
export const CHAT_NARROW_QUERY = '(max-width: 899.98px)';

/**
 * What both chat pages share: the two stores, the selected conversation in the URL
 * (`?conversacion=<id>`, so reloads and shared links keep it), polling, the narrow layout with its back
 * button, and the wiring that keeps the list in step with the open conversation.
 */
@Directive()
export abstract class ChatPageBase {
  protected readonly list = inject(ConversationListStore);
  protected readonly conversation = inject(ConversationStore);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  protected readonly user = inject(AuthService).user;

  protected abstract readonly mode: 'candidate' | 'staff';

  /** `?conversacion=` (bound by the router). */
  readonly conversacion = input<string | undefined>();
  protected readonly selectedId = computed(() => this.conversacion() ?? null);
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(CHAT_NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Set when this page created a conversation: the pane focuses its composer once it opens. */
  protected readonly composerFocusFor = signal<string | null>(null);
  protected readonly showList = computed(() => !this.narrow() || this.selectedId() === null);
  protected readonly showConversation = computed(() => !this.narrow() || this.selectedId() !== null);

  private readonly listComponent = viewChild(ConversationListComponent);

  constructor() {
    const destroyRef = inject(DestroyRef);
    effect(() => {
      const id = this.selectedId();
      untracked(() => this.conversation.open(id));
    });
    // The open conversation's changes (status, assignment, new messages, read) show in the list at once.
    effect(() => {
      const open = this.conversation.conversation();
      if (open) untracked(() => this.list.upsert(open));
    });
    this.conversation.arrivals$.pipe(takeUntilDestroyed(destroyRef)).subscribe((messages) => {
      for (const message of messages) this.list.applyMessage(message);
    });
    this.conversation.readMarked$
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ conversationId, unreadCount }) => this.list.markReadLocally(conversationId, unreadCount));

    this.wireRealtime(destroyRef);
    // Back online: the list catches up at once (the open conversation's store does the same).
    inject(ConnectivityService)
      .reconnected$.pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.list.refreshNow());

    this.conversation.startPolling();
    this.list.startPolling();
  }

  /**
   * Feeds the realtime stream's events into the stores, and the stores' positions into the stream's
   * cursor (so a reconnect replays exactly what this tab missed). Polling keeps running as the fallback.
   */
  private wireRealtime(destroyRef: DestroyRef): void {
    const realtime = inject(ChatRealtimeService);
    effect(() => {
      for (const item of this.list.items()) realtime.track(item.id, item.last_message_seq);
    });
    effect(() => {
      const id = this.conversation.conversationId();
      const seq = this.conversation.lastSeq();
      if (id && !this.conversation.loading()) realtime.track(id, seq);
    });
    realtime.chatEvents$.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      const me = this.user()?.id;
      switch (event.name) {
        case 'message.created': {
          const message = event.data.message;
          const open = this.conversation.applyMessage(message);
          this.list.applyMessage(message, !open && message.sender_user_id !== me);
          break;
        }
        case 'conversation.created':
        case 'conversation.updated':
          this.list.upsert(event.data.conversation);
          this.conversation.applyConversation(event.data.conversation);
          break;
        case 'read.updated':
          if (event.data.user_id === me) this.list.refreshNow();
          else this.conversation.applyReadMarker(event.data);
          break;
        default:
          // Typing and presence come through ChatPresenceService (WebSocket), not the stream.
          break;
      }
    });
    realtime.resync$.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => {
      this.list.refreshNow();
      this.conversation.pollNow();
    });
  }

  protected select(id: string): void {
    void this.router.navigate([], { queryParams: { conversacion: id }, queryParamsHandling: 'merge' });
  }

  /** Narrow screens: back to the list, with focus on the conversation just left. */
  protected back(): void {
    const left = this.selectedId();
    void this.router.navigate([], { queryParams: { conversacion: null }, queryParamsHandling: 'merge' }).then(() => {
      if (left) afterNextRender(() => this.listComponent()?.focusConversation(left), { injector: this.injector });
    });
  }

  protected openNewConversation(): void {
    const data: NewConversationDialogData = { mode: this.mode };
    this.dialog
      .open<NewConversationDialogComponent, NewConversationDialogData, ConversationDto>(NewConversationDialogComponent, { data, autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((created) => {
        if (!created) return;
        this.opened(created);
      });
  }

  /** A conversation created on this page: into the list, opened, the caret in its composer. */
  protected opened(created: ConversationDto): void {
    this.composerFocusFor.set(created.id);
    this.list.upsert(created);
    this.select(created.id);
  }
}
