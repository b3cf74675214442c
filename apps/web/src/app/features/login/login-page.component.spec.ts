import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import type { SessionUser } from '@app/core/auth/auth.models';
import { AuthService } from '@app/core/auth/auth.service';
import { provideAppIcons } from '@app/core/icons/app-icons';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, defaultChatArea, storeSession, SUPPORT_AGENT } from '@testing/session-fixtures';
import { LoginPageComponent } from './login-page.component';

@Component({ template: '' })
class BlankComponent {}

describe('LoginPageComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;

  async function open(url = '/login'): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'login', component: LoginPageComponent },
            { path: 'inicio', component: BlankComponent },
            { path: 'chat-soporte', component: BlankComponent },
            { path: 'support/communication', component: BlankComponent },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return harness.routeNativeElement as HTMLElement;
  }

  /** The chat's answer to the side check that follows a successful sign-in. */
  function answerChatMe(user: SessionUser): void {
    backend.expectOne('/api/support/chat/me').flush({ user_id: user.id, role: user.role, kind: defaultChatArea(user.role) });
  }

  function input(root: HTMLElement, autocomplete: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(`input[autocomplete="${autocomplete}"]`)!;
  }

  function type(element: HTMLInputElement, value: string): void {
    element.value = value;
    element.dispatchEvent(new Event('input'));
  }

  async function submit(root: HTMLElement): Promise<void> {
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
  }

  /** Lets the sign-in promise chain and the navigation it starts finish. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('shows the form in Spanish with the demo accounts', async () => {
    const root = await open();
    expect(root.querySelector('h1')?.textContent).toContain('Iniciar sesión');
    expect(root.textContent).toContain('Usuario');
    expect(root.textContent).toContain('Contraseña');
    const accounts = [...root.querySelectorAll('.demo-username')].map((el) => el.textContent?.trim());
    expect(accounts).toEqual(['candidato1', 'candidato2', 'soporte1', 'admin1', 'developer1', 'gerente1']);
    expect(root.textContent).toContain('Demo1234!');
  });

  it('fills the form from a demo account', async () => {
    const root = await open();
    const button = [...root.querySelectorAll<HTMLButtonElement>('button.demo-account')].find((element) =>
      element.textContent?.replace(/\s+/g, ' ').includes('Usar la cuenta soporte1'),
    );
    button!.click();
    await harness.fixture.whenStable();
    expect(input(root, 'username').value).toBe('soporte1');
    expect(input(root, 'current-password').value).toBe('Demo1234!');
  });

  it('asks for both fields before sending anything', async () => {
    const root = await open();
    await submit(root);
    expect(root.textContent).toContain('Escribe tu usuario.');
    expect(root.textContent).toContain('Escribe tu contraseña.');
    backend.expectNone('/api/auth/login');
  });

  it('signs a candidate in and opens their home', async () => {
    const root = await open();
    type(input(root, 'username'), ' candidato1 ');
    type(input(root, 'current-password'), 'Demo1234!');
    await submit(root);

    const request = backend.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'candidato1', password: 'Demo1234!' });
    request.flush({ access_token: tokenExpiringIn(3600), token_type: 'Bearer', expires_in: 3600, user: CANDIDATE });
    answerChatMe(CANDIDATE);
    await settle();

    expect(TestBed.inject(Router).url).toBe('/inicio');
  });

  it('sends staff to the support workspace', async () => {
    const root = await open();
    type(input(root, 'username'), 'soporte1');
    type(input(root, 'current-password'), 'Demo1234!');
    await submit(root);
    backend.expectOne('/api/auth/login').flush({ access_token: tokenExpiringIn(3600), token_type: 'Bearer', expires_in: 3600, user: SUPPORT_AGENT });
    answerChatMe(SUPPORT_AGENT);
    await settle();
    expect(TestBed.inject(Router).url).toBe('/support/communication');
  });

  it('goes back to the returnUrl after signing in', async () => {
    const root = await open('/login?returnUrl=%2Fchat-soporte');
    type(input(root, 'username'), 'candidato1');
    type(input(root, 'current-password'), 'Demo1234!');
    await submit(root);
    backend.expectOne('/api/auth/login').flush({ access_token: tokenExpiringIn(3600), token_type: 'Bearer', expires_in: 3600, user: CANDIDATE });
    answerChatMe(CANDIDATE);
    await settle();
    expect(TestBed.inject(Router).url).toBe('/chat-soporte');
  });

  it('ignores a returnUrl that points to another site', async () => {
    const root = await open('/login?returnUrl=%2F%2Fevil.example.com');
    type(input(root, 'username'), 'candidato1');
    type(input(root, 'current-password'), 'Demo1234!');
    await submit(root);
    backend.expectOne('/api/auth/login').flush({ access_token: tokenExpiringIn(3600), token_type: 'Bearer', expires_in: 3600, user: CANDIDATE });
    answerChatMe(CANDIDATE);
    await settle();
    expect(TestBed.inject(Router).url).toBe('/inicio');
  });

  it('says so when the credentials are wrong', async () => {
    const root = await open();
    type(input(root, 'username'), 'candidato1');
    type(input(root, 'current-password'), 'mala');
    await submit(root);
    backend.expectOne('/api/auth/login').flush({ error: 'Credenciales inválidas', code: 'invalid_credentials' }, { status: 401, statusText: 'Unauthorized' });
    await settle();

    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Usuario o contraseña incorrectos.');
    expect(TestBed.inject(Router).url).toBe('/login');
  });

  it('explains that the session expired', async () => {
    storeSession(CANDIDATE, tokenExpiringIn(-30));
    const root = await open('/login?returnUrl=%2Fchat-soporte');
    expect(TestBed.inject(AuthService).lastSessionEnd()).toBe('expired');
    expect(root.querySelector('[role="status"]')?.textContent).toContain('Tu sesión expiró');
  });
});
