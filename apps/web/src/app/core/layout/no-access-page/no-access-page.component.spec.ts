import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { SessionUser } from '../../auth/auth.models';
import { provideAppIcons } from '../../icons/app-icons';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, MANAGER, storeSession } from '@testing/session-fixtures';
import { NoAccessPageComponent } from './no-access-page.component';

describe('NoAccessPageComponent', () => {
  async function render(user: SessionUser | null): Promise<HTMLElement> {
    localStorage.clear();
    if (user) storeSession(user, tokenExpiringIn(3600));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), provideAppIcons()],
    });
    const fixture = TestBed.createComponent(NoAccessPageComponent);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('tells a role outside the chat that their account has no access', async () => {
    const root = await render(MANAGER);
    expect(root.querySelector('h1')?.textContent).toBe('Sin acceso');
    expect(root.textContent).toContain('Tu cuenta (Gerencia) no tiene acceso al chat de soporte.');
    expect(root.textContent).toContain('Cerrar sesión');
    expect(root.textContent).not.toContain('Ir a mi inicio');
  });

  it('offers a candidate the way back to their home', async () => {
    const root = await render(CANDIDATE);
    expect(root.textContent).toContain('Esta sección es solo para el equipo de soporte.');
    expect(root.querySelector('a[href="/inicio"]')?.textContent).toContain('Ir a mi inicio');
  });

  it('asks a signed-out visitor to sign in', async () => {
    const root = await render(null);
    expect(root.querySelector('a[href="/login"]')?.textContent).toContain('Iniciar sesión');
  });
});
