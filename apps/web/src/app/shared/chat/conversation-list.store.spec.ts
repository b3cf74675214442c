import { jest } from '@jest/globals';
import { TestBed } from '@angular/core/testing';

import type { ConversationListItemDto } from '@app/api/models';
import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { CONVERSATION_A, CONVERSATION_B, conversation, FakeChatApi, listItem, message } from '@testing/chat-fixtures';
import { ChatApiService } from './chat-api.service';
import { ConversationListStore } from './conversation-list.store';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const list = (items: ConversationListItemDto[], page = 1, pages = 1) => ({
  notModified: false,
  etag: `W/"v${page}"`,
  list: { conversations: items, page, per_page: 20, total: items.length, pages },
});

describe('ConversationListStore', () => {
  let api: FakeChatApi;
  let store: ConversationListStore;

  beforeEach(() => {
    api = new FakeChatApi();
    TestBed.configureTestingModule({
      providers: [
        ConversationListStore,
        { provide: ChatApiService, useValue: api },
        { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 5000 } },
      ],
    });
    store = TestBed.inject(ConversationListStore);
  });

  afterEach(() => jest.useRealTimers());

  it('loads page 1 with the filters as query parameters', () => {
    store.setFilters({ status: 'open', assignedToMe: true, search: '  ana ' });
    expect(api.callsTo('listConversations')[0].args).toEqual([{ page: 1, per_page: 20, status: 'open', assigned_to_me: true, search: 'ana' }]);
    api.respond('listConversations', list([listItem(CONVERSATION_A)], 1, 3));
    expect(store.items().map((item) => item.id)).toEqual([CONVERSATION_A]);
    expect(store.hasMore()).toBe(true);
  });

  it('drops a late response for filters that are no longer selected', () => {
    store.setFilters({ status: 'open' });
    store.setFilters({ status: 'closed' });
    api.respond('listConversations', list([listItem(CONVERSATION_A)]), 0);
    expect(store.loading()).toBe(true);
    api.respond('listConversations', list([listItem(CONVERSATION_B, { status: 'closed' })]), 1);
    expect(store.items().map((item) => item.id)).toEqual([CONVERSATION_B]);
  });

  it('infinite scroll: appends the next page once, without duplicates', () => {
    store.setFilters({});
    api.respond(
      'listConversations',
      list(
        [1, 2].map((n) => listItem(C(n))),
        1,
        2,
      ),
    );
    store.loadMore();
    store.loadMore();
    expect(api.callsTo('listConversations')).toHaveLength(2);
    expect(api.callsTo('listConversations')[1].args[0]).toMatchObject({ page: 2 });
    // C(2) moved to page 2 meanwhile: still listed once.
    api.respond(
      'listConversations',
      list(
        [2, 3].map((n) => listItem(C(n))),
        2,
        2,
      ),
    );
    expect(store.items().map((item) => item.id)).toEqual([C(1), C(2), C(3)]);
    expect(store.hasMore()).toBe(false);
    store.loadMore();
    expect(api.callsTo('listConversations')).toHaveLength(2);
  });

  it('polls page 1 with If-None-Match; a 304 changes nothing and a new page is merged', () => {
    jest.useFakeTimers();
    store.setFilters({});
    api.respond('listConversations', list([listItem(CONVERSATION_A)]));
    store.startPolling();
    jest.advanceTimersByTime(0);
    expect(api.callsTo('listConversations')[1].args).toEqual([{ page: 1, per_page: 20 }, 'W/"v1"']);
    const before = store.items();
    api.respond('listConversations', { notModified: true });
    expect(store.items()).toBe(before);

    jest.advanceTimersByTime(5000);
    api.respond('listConversations', list([listItem(CONVERSATION_B, { unread_count: 2 }), listItem(CONVERSATION_A)]));
    expect(store.items().map((item) => [item.id, item.unread_count])).toEqual([
      [CONVERSATION_B, 2],
      [CONVERSATION_A, 0],
    ]);
  });

  it('never has two list polls in flight', () => {
    jest.useFakeTimers();
    store.setFilters({});
    api.respond('listConversations', list([listItem(CONVERSATION_A)]));
    store.startPolling();
    jest.advanceTimersByTime(30_000);
    store.refreshNow();
    expect(api.callsTo('listConversations')).toHaveLength(2);
  });

  it('takes the open conversation changes and read state at once', () => {
    store.setFilters({});
    api.respond('listConversations', list([listItem(CONVERSATION_A, { unread_count: 3 }), listItem(CONVERSATION_B)]));
    store.upsert(conversation(CONVERSATION_A, { status: 'resolved' }));
    store.markReadLocally(CONVERSATION_A);
    store.applyMessage(message(CONVERSATION_B, 4));
    expect(store.items().map((item) => [item.id, item.status, item.unread_count, item.last_message_seq])).toEqual([
      [CONVERSATION_B, 'open', 0, 4],
      [CONVERSATION_A, 'resolved', 0, 0],
    ]);
  });

  it('a next page or a revalidation in flight when the filters change never lands in the new list', () => {
    store.setFilters({});
    api.respond('listConversations', list([listItem(C(1))], 1, 2));
    store.loadMore();
    store.refreshNow();
    store.setFilters({ status: 'closed' });
    api.respond('listConversations', list([listItem(C(9), { status: 'closed' })], 2, 2), 1);
    api.respond('listConversations', list([listItem(C(8))]), 2);
    expect(store.loading()).toBe(true);
    api.respond('listConversations', list([listItem(CONVERSATION_B, { status: 'closed' })]), 3);
    expect(store.items().map((item) => item.id)).toEqual([CONVERSATION_B]);
    expect(store.loadingMore()).toBe(false);
  });

  it('keeps one copy of each conversation however it arrives (page, upsert, message)', () => {
    store.setFilters({});
    store.upsert(conversation(CONVERSATION_A));
    api.respond('listConversations', list([listItem(CONVERSATION_B), listItem(CONVERSATION_A)]));
    store.upsert(conversation(CONVERSATION_A, { priority: 'high' }));
    store.applyMessage(message(CONVERSATION_A, 1));
    expect(store.items().map((item) => [item.id, item.priority, item.last_message_seq])).toEqual([
      [CONVERSATION_A, 'high', 1],
      [CONVERSATION_B, 'normal', 0],
    ]);
    expect(store.total()).toBe(2);
  });
});
