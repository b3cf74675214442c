import { jest } from '@jest/globals';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { MatDialog } from '@angular/material/dialog';

import { provideAppIcons } from '@app/core/icons/app-icons';
import { CONVERSATION_A, CONVERSATION_B, FakeChatApi, listItem, message, setUpSupportChatTest } from '@testing/chat-fixtures';
import { SupportCommunicationPageComponent } from './support-communication-page.component';

describe('SupportCommunicationPageComponent', () => {
  let api: FakeChatApi;
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    api = setUpSupportChatTest([
      provideRouter([{ path: 'support/communication', component: SupportCommunicationPageComponent }], withComponentInputBinding()),
      provideAppIcons(),
    ]);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/support/communication');
  });

  afterEach(() => jest.useRealTimers());

  const element = () => harness.routeNativeElement as HTMLElement;

  async function showInbox(): Promise<void> {
    api.respond('listConversations', {
      notModified: false,
      etag: 'W/"1"',
      list: {
        conversations: [
          listItem(CONVERSATION_A, { unread_count: 1, last_message: message(CONVERSATION_A, 1) }),
          listItem(CONVERSATION_B, { status: 'resolved' }),
        ],
        page: 1,
        per_page: 20,
        total: 2,
        pages: 1,
      },
    });
    harness.detectChanges();
    await harness.fixture.whenStable();
  }

  it('shows the inbox with candidate names, status and unread badges', async () => {
    expect(api.callsTo('listConversations')[0].args[0]).toEqual({ page: 1, per_page: 20 });
    await showInbox();
    const items = element().querySelectorAll('[data-testid="conversation-item"]');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('Ana López Pérez');
    expect(items[0].querySelector('[aria-label="1 mensaje sin leer"]')).not.toBeNull();
    expect(element().textContent).toContain('2 conversaciones');
  });

  it('filters by status and "Asignadas a mí", and searches after a pause', async () => {
    await showInbox();
    (element().querySelector('[data-testid="filter-resolved"] button') as HTMLButtonElement).click();
    expect(api.callsTo('listConversations').at(-1)!.args[0]).toEqual({ page: 1, per_page: 20, status: 'resolved' });

    (element().querySelector('[data-testid="filter-mine"] button') as HTMLButtonElement).click();
    expect(api.callsTo('listConversations').at(-1)!.args[0]).toEqual({ page: 1, per_page: 20, status: 'resolved', assigned_to_me: true });

    jest.useFakeTimers();
    const search = element().querySelector('[data-testid="inbox-search"]') as HTMLInputElement;
    search.value = 'ana';
    search.dispatchEvent(new Event('input'));
    const before = api.callsTo('listConversations').length;
    jest.advanceTimersByTime(299);
    expect(api.callsTo('listConversations')).toHaveLength(before);
    jest.advanceTimersByTime(1);
    expect(api.callsTo('listConversations').at(-1)!.args[0]).toMatchObject({ search: 'ana' });
  });

  it('opens a conversation from the list and keeps it in the URL', async () => {
    await showInbox();
    (element().querySelector('[data-testid="conversation-item"]') as HTMLElement).click();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe(`/support/communication?conversacion=${CONVERSATION_A}`);
    expect(api.callsTo('getConversation')[0].args).toEqual([CONVERSATION_A]);
    api.respondOpenedWithOneMessage(CONVERSATION_A);
    harness.detectChanges();
    await harness.fixture.whenStable();
    expect(element().querySelector('[data-testid="conversation-heading"]')!.textContent).toContain('Asunto a');
    expect(element().querySelector('[data-testid="candidate-summary"]')!.textContent).toContain('candidato1');
    expect(element().querySelector('[data-testid="assign-me"]')).not.toBeNull();
  });

  describe('keyboard shortcuts', () => {
    const key = (name: string, init: KeyboardEventInit = {}, target: EventTarget = document.body) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init }));
    const url = () => TestBed.inject(Router).url;
    const settle = async () => {
      harness.detectChanges();
      await harness.fixture.whenStable();
    };

    it('j/k and Alt+↓/↑ move through the inbox; typing in the search box is left alone', async () => {
      await showInbox();
      key('j');
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_A}`);
      key('ArrowDown', { altKey: true });
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_B}`);
      key('j'); // already the last one
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_B}`);
      key('k');
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_A}`);

      const search = element().querySelector<HTMLInputElement>('[data-testid="inbox-search"]')!;
      key('j', {}, search);
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_A}`);
    });

    it('s focuses the search box, r the composer, ? lists the shortcuts', async () => {
      await showInbox();
      key('s');
      expect(document.activeElement).toBe(element().querySelector('[data-testid="inbox-search"]'));
      (document.activeElement as HTMLElement).blur();

      key('j');
      await settle();
      api.respondOpenedWithOneMessage(CONVERSATION_A);
      await settle();
      key('r');
      expect(document.activeElement).toBe(element().querySelector('[data-testid="composer-input"]'));
      (document.activeElement as HTMLElement).blur();

      key('?');
      await settle();
      const table = document.querySelector('[data-testid="shortcuts-table"]')!;
      expect(table.textContent).toContain('Conversación siguiente');
      expect(table.textContent).toContain('Buscar en la bandeja');
      // While the dialog is open the inbox keys do nothing.
      key('j');
      await settle();
      expect(url()).toBe(`/support/communication?conversacion=${CONVERSATION_A}`);
      TestBed.inject(MatDialog).closeAll();
    });
  });
});
