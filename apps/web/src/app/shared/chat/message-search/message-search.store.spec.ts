import { jest } from '@jest/globals';
import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { CONVERSATION_A, conversation, FakeChatApi, message } from '@testing/chat-fixtures';
import { ChatApiService } from '../chat-api.service';
import { MESSAGE_SEARCH_DEBOUNCE_MS, MessageSearchStore } from './message-search.store';

describe('MessageSearchStore', () => {
  let api: FakeChatApi;
  let store: InstanceType<typeof MessageSearchStore>;

  beforeEach(() => {
    jest.useFakeTimers();
    api = new FakeChatApi();
    TestBed.configureTestingModule({ providers: [MessageSearchStore, { provide: ChatApiService, useValue: api }] });
    store = TestBed.inject(MessageSearchStore);
  });

  afterEach(() => jest.useRealTimers());

  const result = { conversation: conversation(CONVERSATION_A), message: message(CONVERSATION_A, 5), snippet: [{ text: 'examen', match: true }] };

  it('searches once typing pauses, with the last text only, and shows the results', () => {
    store.setQuery('exa');
    jest.advanceTimersByTime(100);
    store.setQuery('examen');
    expect(api.callsTo('searchMessages')).toHaveLength(0);
    jest.advanceTimersByTime(MESSAGE_SEARCH_DEBOUNCE_MS);
    expect(api.callsTo('searchMessages').map((call) => call.args[0])).toEqual(['examen']);
    expect(store.loading()).toBe(true);
    api.respond('searchMessages', { terms: ['examen'], results: [result] });
    expect(store.results()).toEqual([result]);
    expect(store.searched()).toBe('examen');
    expect(store.loading()).toBe(false);
  });

  it('a newer query cancels the one in flight; too short a query clears without asking', () => {
    store.setQuery('examen');
    jest.advanceTimersByTime(MESSAGE_SEARCH_DEBOUNCE_MS);
    store.setQuery('constancia');
    jest.advanceTimersByTime(MESSAGE_SEARCH_DEBOUNCE_MS);
    api.respond('searchMessages', { terms: ['examen'], results: [result] }, 0);
    expect(store.results()).toEqual([]);
    store.setQuery('a');
    jest.advanceTimersByTime(MESSAGE_SEARCH_DEBOUNCE_MS);
    expect(api.callsTo('searchMessages')).toHaveLength(2);
    expect(store.searched()).toBeNull();
  });

  it('shows the API’s Spanish error', () => {
    store.setQuery('hola');
    jest.advanceTimersByTime(MESSAGE_SEARCH_DEBOUNCE_MS);
    api.fail(
      'searchMessages',
      new HttpErrorResponse({ status: 429, error: { error: 'Demasiadas búsquedas en poco tiempo. Espera 30 s e inténtalo de nuevo.', code: 'rate_limited' } }),
    );
    expect(store.error()).toMatch(/Demasiadas búsquedas/);
    expect(store.results()).toEqual([]);
  });
});
