import { jest } from '@jest/globals';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, MANAGER, storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { AuthService } from '../auth/auth.service';
import { authInterceptor } from '../http/auth.interceptor';
import { unauthorizedInterceptor } from '../http/unauthorized.interceptor';
import { RealtimeAccessRevocation } from './realtime-access';

@Component({ template: '' })
class BlankComponent {}

const ME_URL = '/api/auth/me';
/** The chat's side for the user, asked right after the profile (the server's role lists decide). */
const CHAT_ME_URL = '/api/support/chat/me';

/** With the app's real interceptors, session and router: what `access_revoked` leads to. */
describe('RealtimeAccessRevocation', () => {
  let backend: HttpTestingController;
  let router: Router;
  let auth: AuthService;
  let revocation: RealtimeAccessRevocation;
  let resume: jest.Mock<() => void>;

  async function setUp(): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankComponent },
          { path: 'chat-soporte', component: BlankComponent },
          { path: 'sin-acceso', component: BlankComponent },
          { path: 'support/communication', component: BlankComponent },
        ]),
        provideHttpClient(withInterceptors([authInterceptor, unauthorizedInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    auth = TestBed.inject(AuthService);
    revocation = TestBed.inject(RealtimeAccessRevocation);
    resume = jest.fn<() => void>();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/chat-soporte');
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve));

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('an expired token ends the session and goes to the login page, without asking the server', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 2 * 3600 * 1000);
    revocation.handle(resume);
    await settle();
    jest.restoreAllMocks();

    expect(auth.isAuthenticated()).toBe(false);
    expect(router.url).toBe('/login?returnUrl=%2Fchat-soporte');
    expect(resume).not.toHaveBeenCalled();
  });

  it('a deactivated user: /api/auth/me answers 401, the usual 401 handling signs out, nothing reconnects', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp();
    revocation.handle(resume);
    const me = backend.expectOne(ME_URL);
    expect(me.request.headers.get('Authorization')).toMatch(/^Bearer /);
    me.flush({ error: 'Tu cuenta está desactivada.', code: 'user_inactive' }, { status: 401, statusText: 'Unauthorized' });
    await settle();

    expect(auth.lastSessionEnd()).toBe('expired');
    expect(router.url).toBe('/login?returnUrl=%2Fchat-soporte');
    expect(resume).not.toHaveBeenCalled();
  });

  it('a role outside the chat: the session keeps the new role and the user sees "Sin acceso"', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp();
    revocation.handle(resume);
    backend.expectOne(ME_URL).flush({ ...CANDIDATE, role: MANAGER.role });
    backend
      .expectOne(CHAT_ME_URL)
      .flush({ error: 'Tu rol no tiene acceso al chat de soporte.', code: 'forbidden_role' }, { status: 403, statusText: 'Forbidden' });
    await settle();

    expect(auth.user()?.role).toBe('gerente');
    expect(router.url).toBe('/sin-acceso');
    expect(resume).not.toHaveBeenCalled();
  });

  it('a candidate who became staff goes to the support workspace', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp();
    revocation.handle(resume);
    backend.expectOne(ME_URL).flush({ ...CANDIDATE, role: SUPPORT_AGENT.role });
    backend.expectOne(CHAT_ME_URL).flush({ user_id: CANDIDATE.id, role: SUPPORT_AGENT.role, kind: 'staff', can_reopen_closed: true });
    await settle();

    expect(router.url).toBe('/support/communication');
    expect(resume).not.toHaveBeenCalled();
  });

  it('access unchanged (the same area): the connection resumes', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp();
    revocation.handle(resume);
    backend.expectOne(ME_URL).flush(CANDIDATE);
    backend.expectOne(CHAT_ME_URL).flush({ user_id: CANDIDATE.id, role: CANDIDATE.role, kind: 'candidate', can_reopen_closed: true });
    await settle();

    expect(router.url).toBe('/chat-soporte');
    expect(resume).toHaveBeenCalledTimes(1);
  });
});
