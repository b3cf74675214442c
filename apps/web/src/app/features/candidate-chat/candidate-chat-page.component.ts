import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';

import { ChatLayoutComponent } from '@app/shared/chat/chat-layout.component';
import { ChatPageSync } from '@app/shared/chat/chat-page-sync.service';
import { ConversationListStore } from '@app/shared/chat/conversation-list.store';
import { ConversationPaneComponent } from '@app/shared/chat/conversation-pane.component';
import { ConversationStore } from '@app/shared/chat/conversation.store';
import { focusSeqParam } from '@app/shared/chat/message-search/focus-seq';
import { MessageSearchComponent } from '@app/shared/chat/message-search/message-search.component';
import { MessageSearchStore } from '@app/shared/chat/message-search/message-search.store';
import { OutboxStore } from '@app/shared/chat/outbox.store';
import { FirstMessageComponent } from './first-message.component';
import { ServiceStatusBannerComponent } from './service-status-banner.component';

/**
 * `/chat-soporte`: the candidate's conversations with support, the open one's history and composer.
 * Desktop: side by side; narrow screens: the list, then the conversation with a back button. A
 * candidate without conversations gets the form for the first message instead.
 */
@Component({
  selector: 'app-candidate-chat-page',
  imports: [ChatLayoutComponent, ConversationPaneComponent, FirstMessageComponent, MessageSearchComponent, ServiceStatusBannerComponent],
  providers: [ConversationListStore, ConversationStore, OutboxStore, ChatPageSync, MessageSearchStore],
  template: `
    <app-service-status-banner />
    @if (firstTime()) {
      <app-first-message (started)="writingFirst.set(true)" (created)="writingFirst.set(false); sync.opened($event)" />
    } @else if (decided()) {
      <app-chat-layout
        #layout
        variant="candidate"
        listTitle="Chat con soporte"
        titleId="chat-list-title"
        listLabel="Mis conversaciones"
        emptyText="Aún no tienes conversaciones. Usa «Nueva conversación» para escribirle al equipo de soporte."
        [selectedId]="selectedId()"
      >
        <app-message-search chatListTools class="list-search" (selected)="sync.select($event.conversationId, $event.seq)" />
        @if (selectedId()) {
          <app-conversation-pane
            chatConversation
            mode="candidate"
            [showBack]="layout.narrow()"
            [focusComposerOn]="sync.composerFocusFor()"
            (back)="layout.back()"
          />
        }
        <ng-container chatEmpty>
          <h2>Elige una conversación</h2>
          <p>O inicia una nueva para escribirle al equipo de soporte.</p>
        </ng-container>
      </app-chat-layout>
    }
  `,
  styles: `
    :host {
      flex: 1 1 auto;
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .list-search {
      display: block;
      padding: 0 16px 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CandidateChatPageComponent {
  protected readonly list = inject(ConversationListStore);
  protected readonly sync = inject(ChatPageSync);
  /** `?conversacion=` (bound by the router). */
  readonly conversacion = input<string | undefined>();
  protected readonly selectedId = computed(() => this.conversacion() ?? null);
  /** `?mensaje=` (bound by the router): the message a search result opens the conversation at. */
  readonly mensaje = input<string | undefined>();
  protected readonly focusSeq = computed(() => focusSeqParam(this.mensaje()));
  /** No conversations at all (not merely none shown yet): the page is the form for the first message. */
  protected readonly writingFirst = signal(false);
  /**
   * Which of the two pages to show is known once the list answered (or failed, or a conversation is
   * named in the URL). Until then neither is drawn: showing the list first and swapping it for the
   * form a moment later makes "Nueva conversación" flash and vanish under the pointer.
   */
  protected readonly decided = computed(() => this.writingFirst() || this.selectedId() !== null || this.list.loaded() || this.list.error() !== null);
  protected readonly firstTime = computed(
    () =>
      this.writingFirst() || (this.list.loaded() && this.list.items().length === 0 && !this.list.error() && !this.list.loading() && this.selectedId() === null),
  );

  constructor() {
    this.sync.connect(this.selectedId, this.focusSeq);
    this.list.setFilters({});
  }
}
