import { jest } from '@jest/globals';
import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { throwError } from 'rxjs';

import type { MessageDto } from '@app/api/models';
import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { CONVERSATION_A, CONVERSATION_B, conversation, FakeChatApi, message } from '@testing/chat-fixtures';
import { ChatApiService } from './chat-api.service';
import { ConversationStore } from './conversation.store';
import { OutboxStore } from './outbox.store';

const page = (conversationId: string, messages: MessageDto[], extra: Record<string, unknown> = {}) => ({
  conversation_id: conversationId,
  messages,
  page: 1,
  per_page: 30,
  total: messages.length,
  pages: 1,
  has_older: false,
  has_newer: false,
  ...extra,
});

describe('ConversationStore', () => {
  let api: FakeChatApi;
  let store: ConversationStore;
  let outbox: OutboxStore;
  let refreshUnread: jest.Mock;

  beforeEach(() => {
    api = new FakeChatApi();
    refreshUnread = jest.fn();
    TestBed.configureTestingModule({
      providers: [
        ConversationStore,
        OutboxStore,
        { provide: ChatApiService, useValue: api },
        { provide: UnreadCountService, useValue: { refresh: refreshUnread } },
        { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 5000 } },
      ],
    });
    store = TestBed.inject(ConversationStore);
    outbox = TestBed.inject(OutboxStore);
  });

  afterEach(() => jest.useRealTimers());

  function openWith(id: string, messages: MessageDto[], changes = {}): void {
    store.open(id);
    api.respond('getConversation', conversation(id, { last_message_seq: messages.at(-1)?.seq ?? 0, ...changes }));
    api.respond('history', page(id, messages));
  }

  it('opens a conversation with its latest page, in seq order', () => {
    store.open(CONVERSATION_A);
    expect(store.loading()).toBe(true);
    expect(api.callsTo('history')[0].args).toEqual([CONVERSATION_A, { page: 1, per_page: 30 }]);
    api.respond('getConversation', conversation(CONVERSATION_A));
    api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)]));
    expect(store.loading()).toBe(false);
    expect(store.conversation()?.id).toBe(CONVERSATION_A);
    expect(store.messages().map((m) => m.seq)).toEqual([1, 2]);
  });

  describe('applyMessage (the entry point for polls, sends and realtime events)', () => {
    it('dedupes by id and orders by seq', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.applyMessage(message(CONVERSATION_A, 3));
      store.applyMessage(message(CONVERSATION_A, 2));
      store.applyMessage(message(CONVERSATION_A, 3));
      expect(store.messages().map((m) => m.id)).toEqual(['a-m1', 'a-m2', 'a-m3']);
    });

    it("keeps the conversation's last message fields in step, so the candidate summary is live", () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)]);
      const newest = message(CONVERSATION_A, 3);
      store.applyMessage(newest);
      expect(store.conversation()).toMatchObject({ last_message_seq: 3, last_message_at: newest.created_at });
      store.applyMessage(message(CONVERSATION_A, 1));
      expect(store.conversation()?.last_message_seq).toBe(3);
    });

    it('ignores messages of other conversations', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      expect(store.applyMessage(message(CONVERSATION_B, 2))).toBe(false);
      expect(store.messages()).toHaveLength(1);
    });

    it('emits arrivals only for messages newer than those shown', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 4), message(CONVERSATION_A, 5)]);
      const arrivals: number[][] = [];
      store.arrivals$.subscribe((messages) => arrivals.push(messages.map((m) => m.seq)));
      store.applyMessage(message(CONVERSATION_A, 6));
      store.applyMessage(message(CONVERSATION_A, 6));
      expect(arrivals).toEqual([[6]]);
    });

    it('keeps the after_seq cursor below a hole and asks for what is missing', () => {
      jest.useFakeTimers();
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)]);
      store.startPolling();
      jest.advanceTimersByTime(0);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 2 }));
      store.applyMessage(message(CONVERSATION_A, 5));
      expect(store.lastSeq()).toBe(2);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 5 }));
      expect(api.callsTo('history').at(-1)?.args).toEqual([CONVERSATION_A, { after_seq: 2, per_page: 100 }]);
      api.respond(
        'history',
        page(
          CONVERSATION_A,
          [3, 4, 5].map((seq) => message(CONVERSATION_A, seq)),
        ),
      );
      expect(store.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(store.lastSeq()).toBe(5);
    });
  });

  describe('late responses', () => {
    it('never let a response for the previously selected conversation overwrite the current one', () => {
      store.open(CONVERSATION_A);
      store.open(CONVERSATION_B);
      // A's answers arrive late (the requests were cancelled; even if they were not, they are dropped).
      expect(() => api.respond('getConversation', conversation(CONVERSATION_A), 0)).not.toThrow();
      expect(store.conversationId()).toBe(CONVERSATION_B);
      expect(store.conversation()).toBeNull();
      expect(store.loading()).toBe(true);

      api.respond('getConversation', conversation(CONVERSATION_B), 1);
      api.respond('history', page(CONVERSATION_B, [message(CONVERSATION_B, 1)]), 1);
      expect(store.conversation()?.id).toBe(CONVERSATION_B);
      expect(store.messages().map((m) => m.conversation_id)).toEqual([CONVERSATION_B]);
    });

    it('drops a poll that was in flight when the conversation changed', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.pollNow();
      store.open(CONVERSATION_B);
      const pollCall = api.callsTo('getConversation')[1];
      pollCall.response.next(conversation(CONVERSATION_A, { status: 'closed', last_message_seq: 9 }));
      expect(store.conversation()).toBeNull();
      expect(api.callsTo('history').filter((call) => call.args[0] === CONVERSATION_A)).toHaveLength(1);
    });

    it('ignores an older page that arrives after switching, and pages the next conversation at once', () => {
      store.open(CONVERSATION_A);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 31 }));
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 31)], { has_older: true }));
      store.loadOlder();
      expect(store.loadingOlder()).toBe(true);
      store.open(CONVERSATION_B);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 30)]), 1);
      expect(store.messages()).toEqual([]);
      expect(store.loadingOlder()).toBe(false);

      api.respond('getConversation', conversation(CONVERSATION_B, { last_message_seq: 40 }));
      api.respond('history', page(CONVERSATION_B, [message(CONVERSATION_B, 40)], { has_older: true }));
      // A's older page never answered for B's sake: B's own request is not held back by it.
      store.loadOlder();
      expect(api.callsTo('history').at(-1)?.args).toEqual([CONVERSATION_B, { before_seq: 40, per_page: 30 }]);
    });

    it('drops a read request in flight when the conversation changed: no marker, no badge change', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      const marked: unknown[] = [];
      store.readMarked$.subscribe((event) => marked.push(event));
      store.markRead();
      store.open(CONVERSATION_B);
      api.respond('markRead', { conversation_id: CONVERSATION_A, last_read_seq: 1, unread_count: 0, last_read_at: null }, 0);
      expect(marked).toEqual([]);
      expect(refreshUnread).not.toHaveBeenCalled();
    });
  });

  describe('older history', () => {
    it('pages back before the oldest message shown, one page at a time, until there is none', () => {
      store.open(CONVERSATION_A);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 61 }));
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 60), message(CONVERSATION_A, 61)], { has_older: true }));
      store.loadOlder();
      store.loadOlder();
      const older = api.callsTo('history').slice(1);
      expect(older.map((call) => call.args)).toEqual([[CONVERSATION_A, { before_seq: 60, per_page: 30 }]]);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 58), message(CONVERSATION_A, 59)], { has_older: true }));
      expect(store.messages().map((m) => m.seq)).toEqual([58, 59, 60, 61]);
      expect(store.loadingOlder()).toBe(false);
      store.loadOlder();
      expect(api.callsTo('history').at(-1)?.args).toEqual([CONVERSATION_A, { before_seq: 58, per_page: 30 }]);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 57)]));
      expect(store.hasOlder()).toBe(false);
      store.loadOlder();
      expect(api.callsTo('history')).toHaveLength(3);
    });

    it('a failed older page can be asked for again', () => {
      store.open(CONVERSATION_A);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 31 }));
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 31)], { has_older: true }));
      store.loadOlder();
      api.fail('history', new HttpErrorResponse({ status: 500 }));
      expect(store.loadingOlder()).toBe(false);
      store.loadOlder();
      expect(api.callsTo('history')).toHaveLength(3);
    });
  });

  describe('polling', () => {
    it('never has two polls in flight: ticks during a slow poll are dropped', () => {
      jest.useFakeTimers();
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.startPolling();
      jest.advanceTimersByTime(0);
      expect(api.callsTo('getConversation')).toHaveLength(2);
      jest.advanceTimersByTime(20_000);
      store.pollNow();
      store.pollNow();
      expect(api.callsTo('getConversation')).toHaveLength(2);

      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 1 }));
      jest.advanceTimersByTime(5000);
      expect(api.callsTo('getConversation')).toHaveLength(3);
    });

    it('fetches only what is new, after the last seq, until has_newer is false', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      const arrivals: number[][] = [];
      store.arrivals$.subscribe((messages) => arrivals.push(messages.map((m) => m.seq)));
      store.pollNow();
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 3, status: 'resolved' }));
      expect(store.conversation()?.status).toBe('resolved');
      expect(api.callsTo('history')[1].args).toEqual([CONVERSATION_A, { after_seq: 1, per_page: 100 }]);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 2)], { has_newer: true }));
      expect(api.callsTo('history')[2].args).toEqual([CONVERSATION_A, { after_seq: 2, per_page: 100 }]);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 3)]));
      expect(store.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(arrivals).toEqual([[2], [3]]);
    });

    it('opened at a message (a search result): the window around it, then the newer ones caught up without announcing them', () => {
      store.open(CONVERSATION_A, 5);
      expect(store.focusSeq()).toBe(5);
      expect(api.callsTo('history')[0].args).toEqual([CONVERSATION_A, { around_seq: 5, per_page: 30 }]);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 40 }));
      const window = Array.from({ length: 30 }, (_, index) => message(CONVERSATION_A, index + 1));
      api.respond('history', page(CONVERSATION_A, window, { page: null, has_newer: true, total: 40 }));
      const arrivals: number[][] = [];
      store.arrivals$.subscribe((messages) => arrivals.push(messages.map((m) => m.seq)));
      expect(api.callsTo('history')[1].args).toEqual([CONVERSATION_A, { after_seq: 30, per_page: 100 }]);
      api.respond(
        'history',
        page(
          CONVERSATION_A,
          Array.from({ length: 10 }, (_, index) => message(CONVERSATION_A, index + 31)),
        ),
      );
      expect(store.messages()).toHaveLength(40);
      expect(arrivals).toEqual([]);
      // Caught up: what comes next is news again.
      store.applyMessage(message(CONVERSATION_A, 41));
      expect(arrivals).toEqual([[41]]);
      // Another result in the same conversation opens it again at that message.
      store.open(CONVERSATION_A, 12);
      expect(api.callsTo('history').at(-1)?.args).toEqual([CONVERSATION_A, { around_seq: 12, per_page: 30 }]);
    });

    it("a candidate's history skips internal notes: their seq holes are covered, not polled for again", () => {
      // Seq 3 is a staff note: the server's page covers up to its total without it.
      store.open(CONVERSATION_A);
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 4 }));
      api.respond(
        'history',
        page(
          CONVERSATION_A,
          [1, 2, 4].map((seq) => message(CONVERSATION_A, seq)),
          { total: 4 },
        ),
      );
      expect(store.lastSeq()).toBe(4);
      store.pollNow();
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 4 }));
      expect(api.callsTo('history')).toHaveLength(1);

      // A live message after another note (seq 5): one catch-up covers the hole, then polls are quiet again.
      store.applyMessage(message(CONVERSATION_A, 6));
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 6 }));
      expect(api.callsTo('history').at(-1)?.args).toEqual([CONVERSATION_A, { after_seq: 4, per_page: 100 }]);
      api.respond('history', page(CONVERSATION_A, [message(CONVERSATION_A, 6)], { total: 6 }));
      expect(store.lastSeq()).toBe(6);
      store.pollNow();
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 6 }));
      expect(api.callsTo('history')).toHaveLength(2);
    });

    it('waits for the first page: a poll asked for while the conversation loads is dropped', () => {
      store.open(CONVERSATION_A);
      store.pollNow();
      expect(api.callsTo('getConversation')).toHaveLength(1);
      api.respond('getConversation', conversation(CONVERSATION_A));
      api.respond('history', page(CONVERSATION_A, []));
      store.pollNow();
      expect(api.callsTo('getConversation')).toHaveLength(2);
    });

    it('asks only for the conversation when nothing is new', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.pollNow();
      api.respond('getConversation', conversation(CONVERSATION_A, { last_message_seq: 1 }));
      expect(api.callsTo('history')).toHaveLength(1);
    });
  });

  describe('with the outbox', () => {
    it('what the outbox sends lands in the timeline once, and leaves the queue', () => {
      store.startPolling();
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      outbox.send(CONVERSATION_A, 'Hola');
      const [, body] = api.callsTo('sendMessage')[0].args as [string, { client_message_id: string }];
      const stored = message(CONVERSATION_A, 2, { content: 'Hola', client_message_id: body.client_message_id });
      api.respond('sendMessage', stored);
      // The same message also arrives through a poll: still one copy.
      store.applyMessage(stored);
      expect(store.messages().map((m) => m.content)).toEqual(['Mensaje 1', 'Hola']);
      expect(outbox.pending()).toEqual([]);
      // Sending may have changed the conversation (assignment, reopening): it is fetched again.
      expect(api.callsTo('getConversation')).toHaveLength(2);
    });

    it('a message that arrives by a poll before its send answers is no longer pending', () => {
      openWith(CONVERSATION_A, []);
      outbox.send(CONVERSATION_A, 'Hola');
      const [, body] = api.callsTo('sendMessage')[0].args as [string, { client_message_id: string }];
      store.applyMessage(message(CONVERSATION_A, 1, { content: 'Hola', client_message_id: body.client_message_id }));
      expect(outbox.pending()).toEqual([]);
    });

    it('a send refused because the conversation is closed refreshes it', () => {
      store.startPolling();
      openWith(CONVERSATION_A, []);
      outbox.send(CONVERSATION_A, 'Hola');
      api.fail('sendMessage', new HttpErrorResponse({ status: 409, error: { error: 'La conversación está cerrada.', code: 'conversation_closed' } }));
      expect(api.callsTo('getConversation')).toHaveLength(2);
    });

    it('back online, the open conversation catches up', () => {
      store.startPolling();
      openWith(CONVERSATION_A, []);
      window.dispatchEvent(new Event('offline'));
      window.dispatchEvent(new Event('online'));
      expect(api.callsTo('getConversation')).toHaveLength(2);
    });
  });

  describe('markRead', () => {
    it('marks up to the newest message once, and refreshes the unread badge', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1), message(CONVERSATION_A, 2)]);
      const marked: unknown[] = [];
      store.readMarked$.subscribe((event) => marked.push(event));
      store.markRead();
      store.markRead();
      expect(api.callsTo('markRead')).toHaveLength(1);
      expect(api.callsTo('markRead')[0].args).toEqual([CONVERSATION_A, 'a-m2']);
      api.respond('markRead', { conversation_id: CONVERSATION_A, last_read_seq: 2, unread_count: 0, last_read_at: null });
      expect(refreshUnread).toHaveBeenCalled();
      expect(marked).toEqual([{ conversationId: CONVERSATION_A, unreadCount: 0 }]);
      store.markRead();
      expect(api.callsTo('markRead')).toHaveLength(1);
      store.applyMessage(message(CONVERSATION_A, 3));
      store.markRead();
      expect(api.callsTo('markRead')).toHaveLength(2);
    });
  });

  it('lets others follow it through observables only (no Subject to push into)', () => {
    for (const events of [store.arrivals$, store.conversationChanged$, store.readMarked$]) expect(events).not.toHaveProperty('next');
  });

  it('reports each change of the open conversation (loaded, updated, a newer message) and nothing else', () => {
    const changes: [number, string][] = [];
    store.conversationChanged$.subscribe((changed) => changes.push([changed.last_message_seq, changed.status]));
    openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
    store.applyConversation(conversation(CONVERSATION_A, { status: 'resolved', last_message_seq: 1 }));
    store.applyConversation(conversation(CONVERSATION_B, { status: 'closed' }));
    store.applyMessage(message(CONVERSATION_A, 2));
    store.applyMessage(message(CONVERSATION_A, 1));
    store.applyMessage(message(CONVERSATION_B, 5));
    expect(changes).toEqual([
      [1, 'open'],
      [1, 'resolved'],
      [2, 'resolved'],
    ]);
  });

  it('keeps the labels and the candidate contact data it knows when an event brings the conversation without them', () => {
    openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
    const pago = { id: 'l1', name: 'Pago', color: '#43a047', position: 1 };
    store.applyConversation(conversation(CONVERSATION_A, { labels: [pago], last_message_seq: 1 }));
    const { username: _username, email: _email, ...candidateWithoutContact } = conversation(CONVERSATION_A).candidate;
    store.applyConversation(conversation(CONVERSATION_A, { status: 'resolved', last_message_seq: 1, candidate: candidateWithoutContact as never }));
    expect(store.conversation()).toMatchObject({ status: 'resolved', labels: [pago], candidate: conversation(CONVERSATION_A).candidate });
    // A label change brings the new labels.
    store.applyConversation(conversation(CONVERSATION_A, { status: 'resolved', last_message_seq: 1, labels: [] }));
    expect(store.conversation()?.labels).toEqual([]);
  });

  describe('requests of the previous conversation (cancelled by switchMap)', () => {
    it('an action in flight when another conversation opens neither lands nor leaves the buttons busy', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.changeStatus('resolved');
      expect(store.busy()).toBe(true);
      store.open(CONVERSATION_B);
      expect(store.busy()).toBe(false);
      api.respond('updateStatus', conversation(CONVERSATION_A, { status: 'resolved' }));
      api.respond('getConversation', conversation(CONVERSATION_B), 1);
      api.respond('history', page(CONVERSATION_B, []), 1);
      expect(store.conversation()).toMatchObject({ id: CONVERSATION_B, status: 'open' });
    });

    it('marks what arrived while a read request was in flight as soon as it answers', () => {
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      store.markRead();
      store.applyMessage(message(CONVERSATION_A, 2));
      store.markRead();
      expect(api.callsTo('markRead')).toHaveLength(1);
      api.respond('markRead', { conversation_id: CONVERSATION_A, last_read_seq: 1, unread_count: 1, last_read_at: null });
      expect(api.callsTo('markRead').map((call) => call.args)).toEqual([
        [CONVERSATION_A, 'a-m1'],
        [CONVERSATION_A, 'a-m2'],
      ]);
    });
  });

  describe('read state when opening («Visto», «Mensajes nuevos»)', () => {
    const marker = (user_id: string, last_read_seq: number) => ({
      user_id,
      role: 'support' as const,
      last_read_seq,
      last_read_message_id: null,
      last_read_at: null,
    });

    it('loads the others’ markers and the caller’s unread count with the conversation, then moves markers forward only', () => {
      api.readState = { markers: [marker('agent', 1)], unread_count: 2 };
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1), message(CONVERSATION_A, 2), message(CONVERSATION_A, 3)]);
      expect(api.readMarkerCalls).toEqual([[CONVERSATION_A]]);
      expect(store.otherReadMarkers()).toEqual([{ conversation_id: CONVERSATION_A, user_id: 'agent', last_read_seq: 1 }]);
      expect(store.openedUnread()).toEqual({ count: 2, seq: 3 });
      store.applyReadMarker({ conversation_id: CONVERSATION_A, user_id: 'agent', last_read_seq: 2 });
      store.applyReadMarker({ conversation_id: CONVERSATION_A, user_id: 'agent', last_read_seq: 1 });
      store.applyReadMarker({ conversation_id: CONVERSATION_B, user_id: 'agent', last_read_seq: 9 });
      expect(store.otherReadMarkers().map((known) => known.last_read_seq)).toEqual([2]);
      // New arrivals do not move where "Mensajes nuevos" was.
      store.applyMessage(message(CONVERSATION_A, 4));
      expect(store.openedUnread()).toEqual({ count: 2, seq: 3 });
    });

    it('the conversation still opens when the read state cannot be loaded', () => {
      api.readMarkers = () => throwError(() => new HttpErrorResponse({ status: 500 }));
      openWith(CONVERSATION_A, [message(CONVERSATION_A, 1)]);
      expect(store.loading()).toBe(false);
      expect(store.messages()).toHaveLength(1);
      expect(store.openedUnread()).toBeNull();
    });
  });
});
