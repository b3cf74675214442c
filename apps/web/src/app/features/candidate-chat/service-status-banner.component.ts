import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { catchError, of } from 'rxjs';

import { Api } from '@app/api/api';
import { serviceHoursControllerServiceStatus } from '@app/api/functions';

/**
 * Before the candidate writes: outside business hours, when support answers again ("Nuestro horario
 * es ... Te responderemos a partir del lunes a las 9:00"); inside, the usual reply time when the server
 * has enough data. Nothing at all if the status cannot be read (writing never depends on it).
 */
@Component({
  selector: 'app-service-status-banner',
  template: `
    @if (status.value(); as status) {
      @if (!status.open && status.closed_notice) {
        <p class="notice closed" role="status" data-testid="out-of-hours-notice">{{ status.closed_notice }}</p>
      } @else if (status.expected_reply_minutes !== null) {
        <p class="notice" data-testid="expected-reply">Normalmente respondemos en {{ minutesText(status.expected_reply_minutes) }}.</p>
      }
    }
  `,
  styles: `
    .notice {
      margin: 8px 16px 0;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container, #f3f3f3);
    }
    .notice.closed {
      background: #fff4e5;
      border: 1px solid #f0c36d;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ServiceStatusBannerComponent {
  private readonly api = inject(Api);
  // A failure shows nothing (reading `value()` of a failed resource would throw while rendering).
  protected readonly status = rxResource({
    stream: () => this.api.invoke(serviceHoursControllerServiceStatus).pipe(catchError(() => of(undefined))),
  });

  protected minutesText(minutes: number): string {
    if (minutes < 60) return minutes === 1 ? '1 minuto' : `${minutes} minutos`;
    const hours = Math.round(minutes / 60);
    return hours === 1 ? '1 hora' : `${hours} horas`;
  }
}
