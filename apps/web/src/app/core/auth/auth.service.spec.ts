import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, MANAGER, SESSION_STORAGE_KEY, storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { AuthService } from './auth.service';

describe('AuthService', () => {
  let http: HttpTestingController;

  function createService(): AuthService {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(AuthService);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => http.verify());

  it('starts signed out when nothing is stored', () => {
    const auth = createService();
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.user()).toBeNull();
    expect(auth.homeUrl()).toBe('/sin-acceso');
  });

  it('signs in with POST /api/auth/login, asks the chat for the side, and keeps token, user and side', async () => {
    const auth = createService();
    const token = tokenExpiringIn(3600);

    const result = firstValueFrom(auth.login('candidato1', 'Demo1234!'));
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'candidato1', password: 'Demo1234!' });
    request.flush({ access_token: token, user: CANDIDATE });
    expect(auth.isAuthenticated()).toBe(false);
    const me = http.expectOne({ method: 'GET', url: '/api/support/chat/me' });
    expect(me.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    me.flush({ user_id: CANDIDATE.id, role: 'candidato', kind: 'candidate', can_reopen_closed: true });

    await expect(result).resolves.toEqual(CANDIDATE);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.accessToken()).toBe(token);
    expect(auth.area()).toBe('candidate');
    expect(auth.homeUrl()).toBe('/inicio');
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toEqual({
      accessToken: token,
      user: CANDIDATE,
      chatArea: 'candidate',
      canReopenClosed: true,
      canAudit: false,
    });
    expect(auth.canReopenClosed()).toBe(true);
    expect(auth.readOnly()).toBe(false);
  });

  it.each([
    // The server's role lists decide: a role the web app has never heard of can be a candidate or staff.
    { role: 'responsable_estatal', answer: { status: 200, body: { kind: 'candidate' } }, area: 'candidate', home: '/inicio' },
    { role: 'soporte', answer: { status: 200, body: { kind: 'candidate' } }, area: 'candidate', home: '/inicio' },
    { role: 'coordinador', answer: { status: 200, body: { kind: 'staff' } }, area: 'staff', home: '/support/communication' },
    // Supervisors (SUPPORT_CHAT_SUPERVISOR_ROLES) use the support workspace, read-only.
    { role: 'gerente', answer: { status: 200, body: { kind: 'supervisor', can_audit: true } }, area: 'supervisor', home: '/support/communication' },
    {
      role: 'candidato',
      answer: { status: 403, body: { error: 'Tu rol no tiene acceso al chat de soporte.', code: 'forbidden_role' } },
      area: 'none',
      home: '/sin-acceso',
    },
  ])('routes role $role by the server answer to the $area area', async ({ role, answer, area, home }) => {
    const auth = createService();
    const user = { ...CANDIDATE, role };
    const result = firstValueFrom(auth.login('alguien', 'Demo1234!'));
    http.expectOne('/api/auth/login').flush({ access_token: tokenExpiringIn(3600), user });
    http
      .expectOne('/api/support/chat/me')
      .flush(answer.status === 200 ? { user_id: user.id, role, ...answer.body } : answer.body, { status: answer.status, statusText: 'x' });
    await expect(result).resolves.toEqual(user);
    expect(auth.area()).toBe(area);
    expect(auth.homeUrl()).toBe(home);
    expect(auth.readOnly()).toBe(area === 'supervisor');
    expect(auth.canAudit()).toBe(area === 'supervisor');
  });

  it('does not start a session when the chat side cannot be read', async () => {
    const auth = createService();
    const result = firstValueFrom(auth.login('candidato1', 'Demo1234!'));
    http.expectOne('/api/auth/login').flush({ access_token: tokenExpiringIn(3600), user: CANDIDATE });
    http.expectOne('/api/support/chat/me').flush({ error: 'Servicio no disponible', code: 'database_unavailable' }, { status: 503, statusText: 'x' });
    await expect(result).rejects.toMatchObject({ status: 503 });
    expect(auth.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('treats a session stored without a chat side (older version) as signed out', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: tokenExpiringIn(3600), user: CANDIDATE }));
    expect(createService().isAuthenticated()).toBe(false);
  });

  it('leaves the session untouched when the sign-in fails', async () => {
    const auth = createService();
    const result = firstValueFrom(auth.login('candidato1', 'mal'));
    http.expectOne('/api/auth/login').flush({ error: 'Credenciales inválidas', code: 'invalid_credentials' }, { status: 401, statusText: 'Unauthorized' });
    await expect(result).rejects.toMatchObject({ status: 401 });
    expect(auth.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it.each([
    { area: 'staff', home: '/support/communication' },
    { area: 'candidate', home: '/inicio' },
    { area: 'none', home: '/sin-acceso' },
  ] as const)('restores the $area area from the stored session, home $home', ({ area, home }) => {
    storeSession(MANAGER, tokenExpiringIn(3600), area);
    const auth = createService();
    expect(auth.area()).toBe(area);
    expect(auth.homeUrl()).toBe(home);
  });

  it('restores a stored session after a reload', () => {
    const token = tokenExpiringIn(3600);
    storeSession(SUPPORT_AGENT, token);
    const auth = createService();
    expect(auth.user()).toEqual(SUPPORT_AGENT);
    expect(auth.accessToken()).toBe(token);
    expect(auth.hasValidSession()).toBe(true);
  });

  it('drops a stored session whose token already expired', () => {
    storeSession(CANDIDATE, tokenExpiringIn(-60));
    const auth = createService();
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.lastSessionEnd()).toBe('expired');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('ignores unreadable stored data', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    expect(createService().isAuthenticated()).toBe(false);
  });

  it('ends the session as "expired" when the token runs out while the app is open', () => {
    storeSession(CANDIDATE, tokenExpiringIn(120));
    const auth = createService();
    expect(auth.hasValidSession()).toBe(true);

    expect(auth.hasValidSession(Date.now() + 10 * 60 * 1000)).toBe(false);
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.lastSessionEnd()).toBe('expired');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('logout() clears the session and remembers that the user chose it', () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    const auth = createService();
    auth.logout();
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.lastSessionEnd()).toBe('logout');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('refreshUser() reloads the profile from GET /api/auth/me', async () => {
    const token = tokenExpiringIn(3600);
    storeSession(CANDIDATE, token);
    const auth = createService();
    const renamed = { ...CANDIDATE, full_name: 'Ana María López Pérez' };

    const result = firstValueFrom(auth.refreshUser());
    http.expectOne({ method: 'GET', url: '/api/auth/me' }).flush(renamed);
    http.expectOne({ method: 'GET', url: '/api/support/chat/me' }).flush({ user_id: CANDIDATE.id, role: 'candidato', kind: 'candidate' });

    await expect(result).resolves.toEqual(renamed);
    expect(auth.user()).toEqual(renamed);
    expect(auth.accessToken()).toBe(token);
    expect(auth.area()).toBe('candidate');
  });
});
