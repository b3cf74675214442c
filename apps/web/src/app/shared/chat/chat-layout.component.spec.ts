import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { provideAppIcons } from '@app/core/icons/app-icons';
import { HttpErrorResponse } from '@angular/common/http';
import { CONVERSATION_A, FakeChatApi, listItem, setUpSupportChatTest } from '@testing/chat-fixtures';
import { ConversationListStore } from './conversation-list.store';
import { ConversationStore } from './conversation.store';
import { OutboxStore } from './outbox.store';
import { ChatLayoutComponent } from './chat-layout.component';
import { ChatPageSync } from './chat-page-sync.service';

@Component({
  imports: [ChatLayoutComponent],
  template: `
    <app-chat-layout
      variant="support"
      listTitle="Bandeja de entrada"
      titleId="inbox-title"
      listLabel="Conversaciones de candidatos"
      emptyText="No hay conversaciones."
      [selectedId]="selected()"
    >
      <div chatListTools data-testid="tools">filtros</div>
      @if (selected()) {
        <article chatConversation data-testid="conversation">{{ selected() }}</article>
      }
      <ng-container chatEmpty><h2>Elige una conversación</h2></ng-container>
    </app-chat-layout>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly selected = signal<string | null>(null);
}

describe('ChatLayoutComponent', () => {
  let api: FakeChatApi;

  beforeEach(() => {
    api = setUpSupportChatTest([provideRouter([]), provideAppIcons(), ConversationListStore, ConversationStore, OutboxStore, ChatPageSync]);
  });

  async function render() {
    const fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const find = (selector: string) => element.querySelector<HTMLElement>(selector);
    return { fixture, element, find };
  }

  it("puts the tools under the title and the page's list store in the scrolling list", async () => {
    const { fixture, find } = await render();
    TestBed.inject(ConversationListStore).setFilters({});
    api.respond('listConversations', {
      notModified: false,
      etag: 'W/"1"',
      list: { conversations: [listItem(CONVERSATION_A)], page: 1, per_page: 20, total: 1, pages: 1 },
    });
    await fixture.whenStable();
    const pane = find('section.chat-list-pane')!;
    expect(pane.classList).toContain('inbox');
    expect(pane.getAttribute('aria-labelledby')).toBe('inbox-title');
    expect(find('#inbox-title')?.textContent).toBe('Bandeja de entrada');
    expect(find('.chat-list-header + [data-testid="tools"]')).not.toBeNull();
    const listbox = find('.chat-list-scroll [role="listbox"]')!;
    expect(listbox.getAttribute('aria-label')).toBe('Conversaciones de candidatos');
    expect(listbox.querySelectorAll('[role="option"]')).toHaveLength(1);
  });

  it('shows the empty state until a conversation is selected, then the conversation', async () => {
    const { fixture, find } = await render();
    expect(find('.chat-detail-pane .chat-placeholder h2')?.textContent).toBe('Elige una conversación');
    expect(find('[data-testid="conversation"]')).toBeNull();

    fixture.componentInstance.selected.set(CONVERSATION_A);
    await fixture.whenStable();
    expect(find('.chat-detail-pane > [data-testid="conversation"]')?.textContent).toBe(CONVERSATION_A);
    expect(find('.chat-placeholder')).toBeNull();
  });

  it("shows the list's error as an alert", async () => {
    const { fixture, find } = await render();
    TestBed.inject(ConversationListStore).setFilters({});
    expect(find('.chat-error')).toBeNull();
    api.fail('listConversations', new HttpErrorResponse({ status: 500 }));
    await fixture.whenStable();
    expect(find('[role="alert"]')?.textContent?.trim()).toBe('El servidor tuvo un problema. Intenta de nuevo en unos minutos.');
  });
});
