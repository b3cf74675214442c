import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { provideAppIcons } from '../../icons/app-icons';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { SupportLayoutComponent } from './support-layout.component';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ChatNotificationsService } from '@app/core/notifications/chat-notifications.service';

@Component({ template: '<p>bandeja</p>' })
class BlankComponent {}

describe('SupportLayoutComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(SUPPORT_AGENT, tokenExpiringIn(3600));
    TestBed.configureTestingModule({
      providers: [
        // The realtime stream has its own spec; the shell only has to open it.
        { provide: ChatRealtimeService, useValue: { connect: () => undefined } },
        // Notifications have their own spec; the shell only has to start them.
        { provide: ChatNotificationsService, useValue: { connect: () => undefined } },
        provideRouter([
          {
            path: 'support',
            component: SupportLayoutComponent,
            children: [{ path: 'communication', component: BlankComponent }],
          },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/support/communication');
  });

  /** The shell asks for the unread count as soon as it is shown (on the next timer tick). */
  async function answerUnreadCount(count: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    backend.expectOne('/api/support/chat/unread-count').flush({ unread_count: count, conversations_with_unread: count > 0 ? 1 : 0 });
    await harness.fixture.whenStable();
  }

  afterEach(() => backend.verify());

  it('has a side navigation with "Comunicación" marked as the current page', async () => {
    await answerUnreadCount(0);
    await harness.fixture.whenStable();

    const root = harness.fixture.nativeElement as HTMLElement;
    const nav = root.querySelector('nav[aria-label="Navegación de soporte"]')!;
    const link = nav.querySelector<HTMLAnchorElement>('[data-testid="nav-communication"]')!;
    expect(link.textContent).toContain('Comunicación');
    expect(link.getAttribute('href')).toBe('/support/communication');
    expect(link.getAttribute('aria-current')).toBe('page');
    expect(root.textContent).toContain('Sofía Ramírez');
    expect(root.textContent).toContain('Soporte');
    expect(root.querySelector('main')?.textContent).toContain('bandeja');
  });

  it('shows the unread badge on "Comunicación"', async () => {
    await answerUnreadCount(12);
    await harness.fixture.whenStable();

    const badge = (harness.fixture.nativeElement as HTMLElement).querySelector('[data-testid="communication-unread-badge"] .unread-badge');
    expect(badge?.textContent?.trim()).toBe('12');
  });
});
