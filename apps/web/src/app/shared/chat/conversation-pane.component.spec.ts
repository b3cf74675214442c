import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { throwError } from 'rxjs';

import type { ConversationStatus } from './chat-labels';
import { Api } from '@app/api/api';
import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { provideAppIcons } from '@app/core/icons/app-icons';
import { ChatPresenceService } from '@app/core/realtime/chat-presence.service';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { CONVERSATION_A, conversation, FakeChatApi } from '@testing/chat-fixtures';
import { tokenExpiringIn } from '@testing/fake-jwt';
import type { RoleArea } from '@app/core/auth/roles';
import { CANDIDATE, MANAGER, SESSION_STORAGE_KEY, storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { ChatApiService } from './chat-api.service';
import { ConversationPaneComponent } from './conversation-pane.component';
import { OutboxStore } from './outbox.store';
import { ConversationStore } from './conversation.store';

/** The candidate's actions in the pane header, for a conversation in `status`, signed in with what `/me` said. */
describe('ConversationPaneComponent: the candidate\'s "Reabrir"', () => {
  let api: FakeChatApi;
  let fixture: ComponentFixture<ConversationPaneComponent>;

  afterEach(() => localStorage.clear());

  async function open(
    status: ConversationStatus,
    session: { canReopenClosed?: boolean; stored?: 'current' | 'before-capability' },
    viewer: { user: typeof CANDIDATE; area: RoleArea; mode: 'candidate' | 'staff' } = { user: CANDIDATE, area: 'candidate', mode: 'candidate' },
  ): Promise<void> {
    if (session.stored === 'before-capability') {
      // A session kept by the previous version of the app: no `canReopenClosed` at all.
      localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: tokenExpiringIn(3600), user: CANDIDATE, chatArea: 'candidate' }));
    } else {
      storeSession(viewer.user, tokenExpiringIn(3600), viewer.area, session.canReopenClosed);
    }
    api = new FakeChatApi();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        ConversationStore,
        OutboxStore,
        { provide: ChatApiService, useValue: api },
        // The generated client (service status banner, CSAT survey) fails: those parts then show nothing, and no
        // unanswered HTTP request keeps the fixture from becoming stable.
        { provide: Api, useValue: { invoke: () => throwError(() => new Error('not part of this test')) } },
        { provide: UnreadCountService, useValue: { refresh: () => undefined } },
        { provide: APP_SETTINGS, useValue: DEFAULT_APP_SETTINGS },
        // Socket.IO presence is not what this test is about.
        {
          provide: ChatPresenceService,
          useValue: {
            typing: signal([]),
            otherOnline: signal(false),
            watch: () => undefined,
            release: () => undefined,
            stopTyping: () => undefined,
            keystroke: () => undefined,
          },
        },
      ],
    });
    fixture = TestBed.createComponent(ConversationPaneComponent);
    fixture.componentRef.setInput('mode', viewer.mode);
    const store = TestBed.inject(ConversationStore);
    store.open(CONVERSATION_A);
    api.respond('getConversation', conversation(CONVERSATION_A, { status, last_message_seq: 0 }));
    api.respond('history', { conversation_id: CONVERSATION_A, messages: [], page: 1, per_page: 30, total: 0, pages: 1, has_older: false, has_newer: false });
    await fixture.whenStable();
  }

  const reopenButton = () => (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid="reopen"]');

  it('offers it on a closed conversation when the server lets candidates reopen closed ones, and sends status open', async () => {
    await open('closed', { canReopenClosed: true });
    const button = reopenButton();
    expect(button?.textContent).toContain('Reabrir');
    button!.click();
    expect(api.callsTo('updateStatus').map((call) => call.args)).toEqual([[CONVERSATION_A, 'open']]);
  });

  it('does not offer it on a closed conversation when the server made closed final for candidates', async () => {
    await open('closed', { canReopenClosed: false });
    expect(reopenButton()).toBeNull();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Si necesitas más ayuda, inicia una nueva conversación.');
  });

  it('does not offer it on a closed conversation for a session stored before the server said so', async () => {
    await open('closed', { stored: 'before-capability' });
    expect(reopenButton()).toBeNull();
  });

  it('offers it on a resolved conversation either way', async () => {
    await open('resolved', { canReopenClosed: false });
    expect(reopenButton()?.textContent).toContain('Reabrir');
  });

  it('shows a supervisor the conversation read-only: no composer, no status or assignment actions, and says why', async () => {
    await open('open', {}, { user: MANAGER, area: 'supervisor', mode: 'staff' });
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('app-message-composer')).toBeNull();
    expect(element.querySelector('[data-testid="assign-me"]')).toBeNull();
    expect(element.querySelector('[data-testid="status-closed"]')).toBeNull();
    expect(element.querySelector('[data-testid="read-only-note"]')?.textContent).toContain('Modo supervisión: solo lectura');
  });

  it('shows staff the composer and the actions', async () => {
    await open('open', {}, { user: SUPPORT_AGENT, area: 'staff', mode: 'staff' });
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('app-message-composer')).not.toBeNull();
    expect(element.querySelector('[data-testid="assign-me"]')).not.toBeNull();
    expect(element.querySelector('[data-testid="read-only-note"]')).toBeNull();
  });
});
