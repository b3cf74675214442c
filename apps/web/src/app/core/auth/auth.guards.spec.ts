import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, Routes } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { SessionUser } from './auth.models';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, MANAGER, storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { candidateGuard, guestGuard, redirectToHome, staffGuard } from './auth.guards';
import { AuthService } from './auth.service';
import type { RoleArea } from './roles';

@Component({ template: '' })
class BlankComponent {}

/** The app's route shape with blank pages, so the guards are tested as the router runs them. */
const ROUTES: Routes = [
  { path: '', pathMatch: 'full', redirectTo: redirectToHome },
  { path: 'login', canActivate: [guestGuard], component: BlankComponent },
  { path: 'sin-acceso', component: BlankComponent },
  {
    path: 'support',
    canActivate: [staffGuard],
    canActivateChild: [staffGuard],
    component: BlankComponent,
    children: [{ path: 'communication', component: BlankComponent }],
  },
  {
    path: '',
    canActivate: [candidateGuard],
    canActivateChild: [candidateGuard],
    component: BlankComponent,
    children: [
      { path: 'inicio', component: BlankComponent },
      { path: 'chat-soporte', component: BlankComponent },
    ],
  },
];

describe('route guards', () => {
  async function navigateAs(user: SessionUser | null, url: string, token = tokenExpiringIn(3600), chatArea?: RoleArea): Promise<string> {
    localStorage.clear();
    if (user) storeSession(user, token, chatArea);
    TestBed.configureTestingModule({
      providers: [provideRouter(ROUTES), provideHttpClient(), provideHttpClientTesting()],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return TestBed.inject(Router).url;
  }

  describe('signed out', () => {
    it('sends every protected page to /login with the requested URL', async () => {
      expect(await navigateAs(null, '/chat-soporte')).toBe('/login?returnUrl=%2Fchat-soporte');
      TestBed.resetTestingModule();
      expect(await navigateAs(null, '/support/communication')).toBe('/login?returnUrl=%2Fsupport%2Fcommunication');
    });

    it('sends / to /login', async () => {
      expect(await navigateAs(null, '/')).toBe('/login');
    });
  });

  describe('candidate', () => {
    it('reaches the candidate pages', async () => {
      expect(await navigateAs(CANDIDATE, '/chat-soporte')).toBe('/chat-soporte');
      TestBed.resetTestingModule();
      expect(await navigateAs(CANDIDATE, '/inicio')).toBe('/inicio');
    });

    it('never reaches /support/**', async () => {
      expect(await navigateAs(CANDIDATE, '/support/communication')).toBe('/sin-acceso');
      TestBed.resetTestingModule();
      expect(await navigateAs(CANDIDATE, '/support')).toBe('/sin-acceso');
    });

    it('goes home from / and from /login', async () => {
      expect(await navigateAs(CANDIDATE, '/')).toBe('/inicio');
      TestBed.resetTestingModule();
      expect(await navigateAs(CANDIDATE, '/login')).toBe('/inicio');
    });
  });

  describe.each(['soporte', 'admin', 'developer'])('staff (%s)', (role) => {
    const staff = { ...SUPPORT_AGENT, role };

    it('reaches the support workspace', async () => {
      expect(await navigateAs(staff, '/support/communication')).toBe('/support/communication');
    });

    it('is sent from /chat-soporte to the workspace', async () => {
      expect(await navigateAs(staff, '/chat-soporte')).toBe('/support/communication');
    });

    it('goes to the workspace from /', async () => {
      expect(await navigateAs(staff, '/')).toBe('/support/communication');
    });
  });

  describe('a role outside the chat (gerente)', () => {
    it.each(['/chat-soporte', '/inicio', '/support/communication', '/'])('sees "Sin acceso" at %s', async (url) => {
      expect(await navigateAs(MANAGER, url)).toBe('/sin-acceso');
    });
  });

  describe('a supervisor (the server answered kind supervisor)', () => {
    it.each([
      ['/support/communication', '/support/communication'],
      ['/chat-soporte', '/support/communication'],
      ['/', '/support/communication'],
    ])('at %s ends at %s (the read-only support workspace)', async (url, expected) => {
      expect(await navigateAs(MANAGER, url, tokenExpiringIn(3600), 'supervisor')).toBe(expected);
    });
  });

  describe('the side the server gave at sign-in, whatever the role is called', () => {
    it('lets a host-widened candidate role (responsable_estatal) into the candidate pages', async () => {
      const responsable = { ...CANDIDATE, role: 'responsable_estatal' };
      expect(await navigateAs(responsable, '/chat-soporte', tokenExpiringIn(3600), 'candidate')).toBe('/chat-soporte');
      TestBed.resetTestingModule();
      expect(await navigateAs(responsable, '/support/communication', tokenExpiringIn(3600), 'candidate')).toBe('/sin-acceso');
    });

    it('follows the server when it moves a role from one side to the other', async () => {
      expect(await navigateAs(MANAGER, '/support/communication', tokenExpiringIn(3600), 'staff')).toBe('/support/communication');
      TestBed.resetTestingModule();
      expect(await navigateAs(SUPPORT_AGENT, '/support/communication', tokenExpiringIn(3600), 'none')).toBe('/sin-acceso');
    });
  });

  describe('expired token', () => {
    it('goes to /login with the original URL and the session marked as expired', async () => {
      const url = await navigateAs(CANDIDATE, '/chat-soporte', tokenExpiringIn(-5));
      expect(url).toBe('/login?returnUrl=%2Fchat-soporte');
    });

    it('is noticed on the next navigation inside a shell', async () => {
      const now = Date.now();
      expect(await navigateAs(CANDIDATE, '/inicio', tokenExpiringIn(60))).toBe('/inicio');
      const auth = TestBed.inject(AuthService);
      const realNow = Date.now;
      Date.now = () => now + 5 * 60 * 1000;
      try {
        await TestBed.inject(Router).navigateByUrl('/chat-soporte');
      } finally {
        Date.now = realNow;
      }
      expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fchat-soporte');
      expect(auth.lastSessionEnd()).toBe('expired');
    });
  });
});
