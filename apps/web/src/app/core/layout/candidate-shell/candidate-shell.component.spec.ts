import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { AuthService } from '../../auth/auth.service';
import { provideAppIcons } from '../../icons/app-icons';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, storeSession } from '@testing/session-fixtures';
import { CandidateShellComponent } from './candidate-shell.component';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ChatNotificationsService } from '@app/core/notifications/chat-notifications.service';

@Component({ template: '<p>contenido</p>' })
class BlankComponent {}

describe('CandidateShellComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;

  async function open(): Promise<void> {
    localStorage.clear();
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    TestBed.configureTestingModule({
      providers: [
        // The realtime stream has its own spec; the shell only has to open it.
        { provide: ChatRealtimeService, useValue: { connect: () => undefined } },
        // Notifications have their own spec; the shell only has to start them.
        { provide: ChatNotificationsService, useValue: { connect: () => undefined } },
        provideRouter([
          { path: 'login', component: BlankComponent },
          {
            path: '',
            component: CandidateShellComponent,
            children: [
              { path: 'inicio', component: BlankComponent },
              { path: 'perfil', component: BlankComponent },
              { path: 'chat-soporte', component: BlankComponent },
            ],
          },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/inicio');
  }

  async function openUserMenu(): Promise<HTMLElement> {
    document.querySelector<HTMLButtonElement>('.user-menu-trigger')!.click();
    await harness.fixture.whenStable();
    return document.querySelector<HTMLElement>('.mat-mdc-menu-panel')!;
  }

  /** The shell asks for the unread count as soon as it is shown (on the next timer tick). */
  async function answerUnreadCount(count: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    backend.expectOne('/api/support/chat/unread-count').flush({ unread_count: count, conversations_with_unread: count > 0 ? 1 : 0 });
    await harness.fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
  });

  it('shows the user in the navbar and the menu with profile, support chat and sign out', async () => {
    await open();
    await answerUnreadCount(0);
    await harness.fixture.whenStable();

    expect(harness.fixture.nativeElement.textContent).toContain('Ana López Pérez');
    const menu = await openUserMenu();
    const items = [...menu.querySelectorAll('[mat-menu-item]')].map((item) => item.textContent?.trim());
    expect(items).toEqual(['Mi perfil', 'Chat con soporte', 'Cerrar sesión']);
    expect(menu.querySelector('a[href="/chat-soporte"]')).not.toBeNull();
    expect(menu.querySelector('.unread-badge')).toBeNull();
  });

  it('shows the unread count next to "Chat con soporte"', async () => {
    await open();
    await answerUnreadCount(3);
    await harness.fixture.whenStable();

    const trigger = document.querySelector('.user-menu-trigger')!;
    // Named by its content (avatar initials are aria-hidden), not by an aria-label.
    const spoken = trigger.cloneNode(true) as HTMLElement;
    spoken.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    expect(trigger.getAttribute('aria-label')).toBeNull();
    expect(spoken.textContent?.replace(/\s+/g, ' ').trim()).toBe('Menú de usuario de Ana López Pérez, 3 mensajes sin leer');
    const menu = await openUserMenu();
    const badge = menu.querySelector('[data-testid="chat-unread-badge"] .unread-badge');
    expect(badge?.textContent?.trim()).toBe('3');
    expect(badge?.getAttribute('aria-label')).toBe('3 mensajes sin leer');
  });

  it('"Cerrar sesión" ends the session and opens the sign-in page', async () => {
    await open();
    await answerUnreadCount(0);
    const menu = await openUserMenu();
    menu.querySelector<HTMLButtonElement>('button[mat-menu-item]')!.click();
    await harness.fixture.whenStable();

    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
    expect(TestBed.inject(Router).url).toBe('/login');
  });
});
