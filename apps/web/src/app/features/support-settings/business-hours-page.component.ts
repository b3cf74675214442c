import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';

import { Api } from '@app/api/api';
import { apiErrorMessage } from '@app/core/http/api-error';
import { serviceHoursControllerSettings, serviceHoursControllerUpdateSettings } from '@app/api/functions';
import type { BusinessHoursSettingsDto } from '@app/api/models';

/**
 * `/support/horario` (admin): the business hours every instance reads: time zone, weekly hours,
 * holidays and the automatic reply. The server validates; its Spanish message is shown as is.
 */
@Component({
  selector: 'app-business-hours-page',
  imports: [FormsModule, MatButtonModule],
  template: `
    <section class="page" aria-labelledby="business-hours-title">
      <h1 id="business-hours-title">Horario de atención</h1>
      @if (loadError(); as loadError) {
        <p role="alert">{{ loadError }}</p>
      } @else if (form(); as form) {
        <form (ngSubmit)="save()">
          <label>
            Zona horaria (IANA)
            <input name="time_zone" data-testid="settings-time-zone" required [(ngModel)]="form.time_zone" />
          </label>
          <label>
            Horario semanal
            <input name="weekly_hours" data-testid="settings-weekly-hours" [(ngModel)]="form.weekly_hours" />
            <small>Por ejemplo: <code>mon-fri 09:00-18:00; sat 10:00-14:00</code>. Vacío = siempre cerrado.</small>
          </label>
          <label>
            Días festivos (AAAA-MM-DD, separados por comas)
            <input name="holidays" data-testid="settings-holidays" [(ngModel)]="holidays" />
          </label>
          <label class="inline">
            <input type="checkbox" name="auto_reply_enabled" data-testid="settings-auto-reply-enabled" [(ngModel)]="form.auto_reply_enabled" />
            Enviar respuesta automática fuera de horario
          </label>
          <label>
            Texto de la respuesta automática
            <textarea name="auto_reply_text" rows="3" maxlength="1000" data-testid="settings-auto-reply-text" [(ngModel)]="form.auto_reply_text"></textarea>
            <small
              >Variables: <code>{{ '{' }}horario{{ '}' }}</code
              >, <code>{{ '{' }}proxima_apertura{{ '}' }}</code
              >.</small
            >
          </label>
          <button mat-flat-button type="submit" data-testid="settings-save" [disabled]="saving()">Guardar</button>
          @if (message(); as message) {
            <p role="status" data-testid="settings-message">{{ message }}</p>
          }
        </form>
      }
    </section>
  `,
  styles: `
    .page {
      padding: 16px 24px;
      max-width: 720px;
    }
    form,
    label {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    form {
      gap: 16px;
    }
    label.inline {
      flex-direction: row;
      align-items: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BusinessHoursPageComponent {
  private readonly api = inject(Api);
  protected readonly form = signal<BusinessHoursSettingsDto | null>(null);
  protected holidays = '';
  protected readonly saving = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.api.invoke(serviceHoursControllerSettings).subscribe({
      next: (settings) => this.show(settings),
      error: (error: unknown) => this.loadError.set(apiErrorMessage(error, 'No se pudo cargar el horario.')),
    });
  }

  protected save(): void {
    const form = this.form();
    if (!form) return;
    this.saving.set(true);
    this.message.set(null);
    const holidays = this.holidays
      .split(',')
      .map((date) => date.trim())
      .filter(Boolean);
    this.api
      .invoke(serviceHoursControllerUpdateSettings, {
        body: {
          time_zone: form.time_zone,
          weekly_hours: form.weekly_hours,
          holidays,
          auto_reply_enabled: form.auto_reply_enabled,
          auto_reply_text: form.auto_reply_text,
        },
      })
      .subscribe({
        next: (settings) => {
          this.saving.set(false);
          this.show(settings);
          this.message.set('Horario guardado.');
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.message.set(apiErrorMessage(error, 'No se pudo guardar el horario.'));
        },
      });
  }

  private show(settings: BusinessHoursSettingsDto): void {
    this.form.set({ ...settings });
    this.holidays = settings.holidays.join(', ');
  }
}
