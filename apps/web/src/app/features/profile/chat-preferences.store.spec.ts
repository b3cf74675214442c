import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import type { ChatPreferencesDto } from '@app/api/models';
import { ChatApiService } from '@app/shared/chat/chat-api.service';
import { ChatPreferencesStore } from './chat-preferences.store';

/** Answers each call when the test says so. */
class FakePreferencesApi {
  readonly loads: Subject<ChatPreferencesDto>[] = [];
  readonly saves: { body: ChatPreferencesDto; response: Subject<ChatPreferencesDto> }[] = [];
  preferences = () => {
    const response = new Subject<ChatPreferencesDto>();
    this.loads.push(response);
    return response.asObservable();
  };
  updatePreferences = (body: ChatPreferencesDto) => {
    const response = new Subject<ChatPreferencesDto>();
    this.saves.push({ body, response });
    return response.asObservable();
  };
}

const answer = <T>(subject: Subject<T>, value: T) => {
  subject.next(value);
  subject.complete();
};

describe('ChatPreferencesStore', () => {
  let api: FakePreferencesApi;
  let store: InstanceType<typeof ChatPreferencesStore>;

  beforeEach(() => {
    api = new FakePreferencesApi();
    TestBed.configureTestingModule({ providers: [ChatPreferencesStore, { provide: ChatApiService, useValue: api }] });
    store = TestBed.inject(ChatPreferencesStore);
  });

  it('loads the saved preference', () => {
    store.load();
    expect(store.loading()).toBe(true);
    expect(store.emailWhenAway()).toBeNull();
    answer(api.loads[0], { email_when_away: false });
    expect(store.loading()).toBe(false);
    expect(store.emailWhenAway()).toBe(false);
  });

  it('shows a change at once and keeps what the server saved', () => {
    store.load();
    answer(api.loads[0], { email_when_away: true });
    store.setEmailWhenAway(false);
    expect(api.saves[0].body).toEqual({ email_when_away: false });
    expect(store.emailWhenAway()).toBe(false);
    expect(store.saving()).toBe(true);
    answer(api.saves[0].response, { email_when_away: false });
    expect(store.saving()).toBe(false);
    expect(store.emailWhenAway()).toBe(false);
  });

  it('puts the previous value back with a Spanish message when saving fails', () => {
    store.load();
    answer(api.loads[0], { email_when_away: true });
    store.setEmailWhenAway(false);
    api.saves[0].response.error(new HttpErrorResponse({ status: 0 }));
    expect(store.emailWhenAway()).toBe(true);
    expect(store.saving()).toBe(false);
    expect(store.error()).toMatch(/No se pudo conectar/);
  });
});
