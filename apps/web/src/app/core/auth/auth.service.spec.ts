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

  it('signs in with POST /api/auth/login and keeps the token and user', async () => {
    const auth = createService();
    const token = tokenExpiringIn(3600);

    const result = firstValueFrom(auth.login('candidato1', 'Demo1234!'));
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'candidato1', password: 'Demo1234!' });
    request.flush({ access_token: token, user: CANDIDATE });

    await expect(result).resolves.toEqual(CANDIDATE);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.accessToken()).toBe(token);
    expect(auth.area()).toBe('candidate');
    expect(auth.homeUrl()).toBe('/inicio');
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toEqual({ accessToken: token, user: CANDIDATE });
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
    { user: SUPPORT_AGENT, area: 'staff', home: '/support/communication' },
    { user: { ...SUPPORT_AGENT, role: 'admin' }, area: 'staff', home: '/support/communication' },
    { user: { ...SUPPORT_AGENT, role: 'developer' }, area: 'staff', home: '/support/communication' },
    { user: CANDIDATE, area: 'candidate', home: '/inicio' },
    { user: MANAGER, area: 'none', home: '/sin-acceso' },
  ])('puts role $user.role in the $area area, home $home', ({ user, area, home }) => {
    storeSession(user, tokenExpiringIn(3600));
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

    await expect(result).resolves.toEqual(renamed);
    expect(auth.user()).toEqual(renamed);
    expect(auth.accessToken()).toBe(token);
  });
});
