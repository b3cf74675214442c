import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { CONVERSATION_A, CONVERSATION_B, conversation, FakeChatApi, listItem, setUpSupportChatTest } from '@testing/chat-fixtures';
import { SUPPORT_AGENT } from '@testing/session-fixtures';
import { ChatPageSync } from './chat-page-sync.service';
import { ConversationListStore } from './conversation-list.store';
import { ConversationStore } from './conversation.store';
import { OutboxStore } from './outbox.store';

describe('ChatPageSync: the list follows the open conversation', () => {
  let api: FakeChatApi;
  let list: ConversationListStore;
  let open: ConversationStore;

  beforeEach(() => {
    api = setUpSupportChatTest([
      provideRouter([]),
      ConversationListStore,
      ConversationStore,
      OutboxStore,
      ChatPageSync,
      { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 60_000 } },
    ]);
    list = TestBed.inject(ConversationListStore);
    open = TestBed.inject(ConversationStore);
    list.setFilters({});
    api.respond('listConversations', {
      notModified: false,
      etag: 'W/"v1"',
      list: { conversations: [listItem(CONVERSATION_B), listItem(CONVERSATION_A)], page: 1, per_page: 20, total: 2, pages: 1 },
    });
    const sync = TestBed.inject(ChatPageSync);
    TestBed.runInInjectionContext(() => sync.connect(signal(CONVERSATION_A)));
    // Opening follows the selected id (a signal from the URL): let it run once.
    TestBed.tick();
    api.respondOpenedWithOneMessage(CONVERSATION_A);
  });

  const row = (id: string) => list.items().find((item) => item.id === id);

  // No TestBed.tick()/change detection after the change: an effect (toObservable) copying the open
  // conversation into the list would not have run yet, the event stream has.
  it('a status change of the open conversation shows in its row at once', () => {
    expect(row(CONVERSATION_A)?.status).toBe('open');
    open.applyConversation(conversation(CONVERSATION_A, { status: 'resolved', last_message_seq: 1 }));
    expect(row(CONVERSATION_A)?.status).toBe('resolved');
    expect(row(CONVERSATION_B)?.status).toBe('open');
  });

  it('an assignment answered by the server shows in the row at once', () => {
    open.assignTo(SUPPORT_AGENT.id);
    api.respond('updateConversation', conversation(CONVERSATION_A, { assigned_support_user_id: SUPPORT_AGENT.id, last_message_seq: 1 }));
    expect(row(CONVERSATION_A)?.assigned_support_user_id).toBe(SUPPORT_AGENT.id);
  });

  it('an unchanged answer (a poll) leaves the list as it was, so nothing re-renders', () => {
    const before = list.items();
    open.applyConversation(conversation(CONVERSATION_A, { last_message_seq: 1 }));
    expect(list.items()).toBe(before);
  });
});
