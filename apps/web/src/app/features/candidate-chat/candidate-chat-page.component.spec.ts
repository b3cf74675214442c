import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { throwError } from 'rxjs';
import { provideRouter } from '@angular/router';

import { Api } from '@app/api/api';
import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { provideAppIcons } from '@app/core/icons/app-icons';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { ChatApiService } from '@app/shared/chat/chat-api.service';
import { CONVERSATION_A, FakeChatApi, listItem } from '@testing/chat-fixtures';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, storeSession } from '@testing/session-fixtures';
import { CandidateChatPageComponent } from './candidate-chat-page.component';

const answer = (conversations: unknown[]) => ({
  notModified: false,
  etag: 'W/"v1"',
  list: { conversations, page: 1, per_page: 20, total: conversations.length, pages: conversations.length ? 1 : 0 },
});

describe('CandidateChatPageComponent', () => {
  let api: FakeChatApi;

  beforeEach(() => {
    localStorage.clear();
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    api = new FakeChatApi();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideAppIcons(),
        { provide: ChatApiService, useValue: api },
        // The generated client (service status banner, CSAT survey) fails: those parts then show nothing, and no
        // unanswered HTTP request keeps the fixture from becoming stable.
        { provide: Api, useValue: { invoke: () => throwError(() => new Error('not part of this test')) } },
        { provide: UnreadCountService, useValue: { refresh: () => undefined } },
        { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 60_000 } },
      ],
    });
  });

  function render() {
    const fixture = TestBed.createComponent(CandidateChatPageComponent);
    fixture.detectChanges();
    return fixture;
  }
  const testIds = (fixture: ReturnType<typeof render>) => {
    const root = fixture.nativeElement as HTMLElement;
    return ['new-conversation', 'first-message-text'].filter((id) => root.querySelector(`[data-testid="${id}"]`));
  };

  it('draws neither the list nor the first-message form until the list answered: no button that vanishes', async () => {
    const fixture = render();
    expect(testIds(fixture)).toEqual([]);
    api.respond('listConversations', answer([]));
    await fixture.whenStable();
    expect(testIds(fixture)).toEqual(['first-message-text']);
  });

  it('a candidate with conversations gets the list once it answered', async () => {
    const fixture = render();
    api.respond('listConversations', answer([listItem(CONVERSATION_A)]));
    await fixture.whenStable();
    expect(testIds(fixture)).toEqual(['new-conversation']);
  });
});
