import { computed, DestroyRef, effect, inject, Injectable, Injector, Signal, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import type { ConversationDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { ConnectivityService } from '@app/core/network/connectivity.service';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ConversationListStore } from './conversation-list.store';
import { ConversationStore } from './conversation.store';

/**
 * What both chat pages share besides their layout: the selected conversation in the URL
 * (`?conversacion=<id>`, so reloads and shared links keep it), polling, the realtime stream's events
 * into the stores, and the wiring that keeps the list in step with the open conversation. Provided by
 * each chat page next to its stores; the page calls `connect()` once with its selected id.
 */
@Injectable()
export class ChatPageSync {
  private readonly list = inject(ConversationListStore);
  private readonly conversation = inject(ConversationStore);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly user = inject(AuthService).user;
  private readonly connectivity = inject(ConnectivityService);
  private readonly realtime = inject(ChatRealtimeService);
  private readonly injector = inject(Injector);

  /** Set when this page created a conversation: the pane focuses its composer once it opens. */
  readonly composerFocusFor = signal<string | null>(null);

  /**
   * Opens whatever `selectedId` names (at `focusSeq`, `?mensaje=`, when a search result chose a message),
   * starts polling and feeds the stream into the stores.
   */
  connect(selectedId: Signal<string | null>, focusSeq: Signal<number | null> = signal(null)): void {
    const target = computed(() => ({ id: selectedId(), seq: focusSeq() }), { equal: (a, b) => a.id === b.id && a.seq === b.seq });
    toObservable(target, { injector: this.injector })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(({ id, seq }) => this.conversation.open(id, seq));
    // The open conversation's changes (status, assignment, new messages, read) show in the list at once.
    this.conversation.conversationChanged$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((open) => this.list.upsert(open));
    this.conversation.arrivals$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((messages) => {
      for (const message of messages) this.list.applyMessage(message);
    });
    this.conversation.readMarked$
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(({ conversationId, unreadCount }) => this.list.markReadLocally(conversationId, unreadCount));

    this.wireRealtime();
    // Back online: the list catches up at once (the open conversation's store does the same).
    this.connectivity.reconnected$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.list.refreshNow());

    this.conversation.startPolling();
    this.list.startPolling();
  }

  /**
   * Feeds the realtime stream's events into the stores, and the stores' positions into the stream's
   * cursor (so a reconnect replays exactly what this tab missed). Polling keeps running as the fallback.
   * The effects only hand signal values to the stream's non-reactive `track()`.
   */
  private wireRealtime(): void {
    const realtime = this.realtime;
    effect(
      () => {
        for (const item of this.list.items()) realtime.track(item.id, item.last_message_seq);
      },
      { injector: this.injector },
    );
    effect(
      () => {
        const id = this.conversation.conversationId();
        const seq = this.conversation.lastSeq();
        if (id && !this.conversation.loading()) realtime.track(id, seq);
      },
      { injector: this.injector },
    );
    realtime.chatEvents$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((event) => {
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
    realtime.resync$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => {
      this.list.refreshNow();
      this.conversation.pollNow();
    });
  }

  /** Opens a conversation; with `seq` (a search result), at that message (`?mensaje=`). */
  select(id: string, seq: number | null = null): void {
    void this.router.navigate([], { queryParams: { conversacion: id, mensaje: seq }, queryParamsHandling: 'merge' });
  }

  /** Closes the conversation (narrow screens: back to the list). Resolves once the URL changed. */
  deselect(): Promise<boolean> {
    return this.router.navigate([], { queryParams: { conversacion: null, mensaje: null }, queryParamsHandling: 'merge' });
  }

  /** A conversation created on this page: into the list, opened, the caret in its composer. */
  opened(created: ConversationDto): void {
    this.composerFocusFor.set(created.id);
    this.list.upsert(created);
    this.select(created.id);
  }
}
