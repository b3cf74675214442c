import { jest } from '@jest/globals';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, storeSession } from '@testing/session-fixtures';
import { AuthService } from '../auth/auth.service';
import { authInterceptor } from './auth.interceptor';
import { unauthorizedInterceptor } from './unauthorized.interceptor';

@Component({ template: '' })
class BlankComponent {}

describe('unauthorizedInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;
  let auth: AuthService;

  async function setUp(startUrl: string): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankComponent },
          { path: 'chat-soporte', component: BlankComponent },
        ]),
        provideHttpClient(withInterceptors([authInterceptor, unauthorizedInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    auth = TestBed.inject(AuthService);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(startUrl);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('on a 401 for a signed-in request, signs out and goes to /login with the current URL', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp('/chat-soporte?conversacion=7');
    const errors: unknown[] = [];

    http.get('/api/support/chat/conversations').subscribe({ error: (error: unknown) => errors.push(error) });
    backend.expectOne('/api/support/chat/conversations').flush({ error: 'Token inválido', code: 'unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await new Promise((resolve) => setTimeout(resolve));

    expect(errors).toHaveLength(1);
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.lastSessionEnd()).toBe('expired');
    expect(router.url).toBe('/login?returnUrl=%2Fchat-soporte%3Fconversacion%3D7');
  });

  it('leaves a failed sign-in (401 from the login endpoint) to the login form', async () => {
    await setUp('/login');
    const errors: unknown[] = [];

    http.post('/api/auth/login', { username: 'x', password: 'y' }).subscribe({ error: (e: unknown) => errors.push(e) });
    backend.expectOne('/api/auth/login').flush({ error: 'Credenciales inválidas' }, { status: 401, statusText: 'Unauthorized' });

    expect(errors).toHaveLength(1);
    expect(router.url).toBe('/login');
    expect(auth.lastSessionEnd()).toBeNull();
  });

  it('does not sign out on other errors', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp('/chat-soporte');

    http.get('/api/support/chat/conversations/9').subscribe({ error: () => undefined });
    backend.expectOne('/api/support/chat/conversations/9').flush({ error: 'Prohibido' }, { status: 403, statusText: 'Forbidden' });

    expect(auth.isAuthenticated()).toBe(true);
    expect(router.url).toBe('/chat-soporte');
  });

  it('redirects once when several requests fail with 401 together', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    await setUp('/chat-soporte');
    const navigate = jest.spyOn(router, 'navigateByUrl');

    http.get('/api/a').subscribe({ error: () => undefined });
    http.get('/api/b').subscribe({ error: () => undefined });
    for (const url of ['/api/a', '/api/b']) {
      backend.expectOne(url).flush({}, { status: 401, statusText: 'Unauthorized' });
    }

    expect(navigate).toHaveBeenCalledTimes(1);
  });
});
