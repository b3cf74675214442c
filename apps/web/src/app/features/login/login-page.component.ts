import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { form, FormField, FormRoot, required } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';
import { HttpErrorResponse } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';

import { AuthService } from '@app/core/auth/auth.service';
import { isSafeReturnUrl } from '@app/core/auth/login-redirect';
import { APP_SETTINGS } from '@app/core/config/app-settings';
import { apiErrorMessage } from '@app/core/http/api-error';

interface Credentials {
  username: string;
  password: string;
}

/** `/login`: sign in, then go back to `returnUrl` or to the user's home. */
@Component({
  selector: 'app-login-page',
  imports: [FormField, FormRoot, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressSpinnerModule],
  templateUrl: './login-page.component.html',
  styleUrl: './login-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPageComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly settings = inject(APP_SETTINGS);

  /** Bound from the `?returnUrl=` query parameter. */
  readonly returnUrl = input<string | undefined>();

  protected readonly demoAccounts = this.settings.demoAccounts;
  protected readonly demoPassword = this.settings.demoPassword;
  protected readonly sessionExpired = this.auth.lastSessionEnd() === 'expired';
  protected readonly errorMessage = signal<string | null>(null);
  protected readonly passwordVisible = signal(false);

  private readonly credentials = signal<Credentials>({ username: '', password: '' });
  protected readonly loginForm = form(
    this.credentials,
    (path) => {
      required(path.username, { message: 'Escribe tu usuario.' });
      required(path.password, { message: 'Escribe tu contraseña.' });
    },
    { submission: { action: () => this.signIn() } },
  );

  protected useDemoAccount(username: string): void {
    this.credentials.set({ username, password: this.demoPassword ?? '' });
    this.errorMessage.set(null);
  }

  private async signIn(): Promise<undefined> {
    this.errorMessage.set(null);
    const { username, password } = this.credentials();
    try {
      await firstValueFrom(this.auth.login(username.trim(), password));
    } catch (error: unknown) {
      this.errorMessage.set(
        error instanceof HttpErrorResponse && error.status === 401
          ? 'Usuario o contraseña incorrectos.'
          : apiErrorMessage(error, 'No se pudo iniciar sesión. Intenta de nuevo.'),
      );
      return undefined;
    }
    const returnUrl = this.returnUrl();
    const target = returnUrl && isSafeReturnUrl(returnUrl) ? returnUrl : this.auth.homeUrl();
    await this.router.navigateByUrl(target);
    return undefined;
  }
}
