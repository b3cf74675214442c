import { ChangeDetectionStrategy, Component, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { ChatPageBase } from '@app/shared/chat/chat-page.base';
import { ConversationListComponent } from '@app/shared/chat/conversation-list.component';
import { ConversationListStore } from '@app/shared/chat/conversation-list.store';
import { ConversationPaneComponent } from '@app/shared/chat/conversation-pane.component';
import { ConversationStore } from '@app/shared/chat/conversation.store';
import { OutboxStore } from '@app/shared/chat/outbox.store';
import { FirstMessageComponent } from './first-message.component';

/**
 * `/chat-soporte`: the candidate's conversations with support, the open one's history and composer.
 * Desktop: side by side; narrow screens: the list, then the conversation with a back button. A
 * candidate without conversations gets the form for the first message instead.
 */
@Component({
  selector: 'app-candidate-chat-page',
  imports: [ConversationListComponent, ConversationPaneComponent, FirstMessageComponent, MatButtonModule, MatIconModule],
  providers: [ConversationListStore, ConversationStore, OutboxStore],
  template: `
    @if (firstTime()) {
      <app-first-message (started)="writingFirst.set(true)" (created)="writingFirst.set(false); opened($event)" />
    } @else {
      <div class="chat-page candidate" [class.narrow]="narrow()">
        @if (showList()) {
          <section class="chat-list-pane" aria-labelledby="chat-list-title">
            <div class="chat-list-header">
              <h1 id="chat-list-title">Chat con soporte</h1>
              <button mat-flat-button type="button" data-testid="new-conversation" (click)="openNewConversation()">
                <mat-icon svgIcon="add" aria-hidden="true" />
                Nueva conversación
              </button>
            </div>
            @if (list.error(); as error) {
              <p class="chat-error" role="alert">{{ error }}</p>
            }
            <div class="chat-list-scroll">
              <app-conversation-list
                label="Mis conversaciones"
                mode="candidate"
                emptyText="Aún no tienes conversaciones. Usa «Nueva conversación» para escribirle al equipo de soporte."
                [conversations]="list.items()"
                [selectedId]="selectedId()"
                [currentUserId]="user()?.id ?? ''"
                [loading]="list.loading()"
                [loadingMore]="list.loadingMore()"
                [hasMore]="list.hasMore()"
                (select)="select($event)"
                (loadMore)="list.loadMore()"
              />
            </div>
          </section>
        }
        @if (showConversation()) {
          <section class="chat-detail-pane" aria-label="Conversación">
            @if (selectedId()) {
              <app-conversation-pane mode="candidate" [showBack]="narrow()" [focusComposerOn]="composerFocusFor()" (back)="back()" />
            } @else {
              <div class="chat-placeholder">
                <h2>Elige una conversación</h2>
                <p>O inicia una nueva para escribirle al equipo de soporte.</p>
              </div>
            }
          </section>
        }
      </div>
    }
  `,
  styles: `
    :host {
      flex: 1 1 auto;
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CandidateChatPageComponent extends ChatPageBase {
  protected readonly mode = 'candidate';
  /** No conversations at all (not merely none shown yet): the page is the form for the first message. */
  protected readonly writingFirst = signal(false);
  protected readonly firstTime = computed(
    () =>
      this.writingFirst() || (this.list.loaded() && this.list.items().length === 0 && !this.list.error() && !this.list.loading() && this.selectedId() === null),
  );

  constructor() {
    super();
    this.list.setFilters({});
  }
}
