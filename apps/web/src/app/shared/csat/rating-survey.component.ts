import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { catchError, map, of } from 'rxjs';

import { Api } from '@app/api/api';
import { apiErrorMessage } from '@app/core/http/api-error';
import { csatControllerGet, csatControllerRate } from '@app/api/functions';
import type { RatingStateDto } from '@app/api/models';

const LABELS = ['Muy mala', 'Mala', 'Regular', 'Buena', 'Excelente'];

/**
 * The satisfaction survey shown in a resolved or closed conversation. Candidate: rate 1-5 with an
 * optional comment (and change it while `rate_until` lasts); never required to keep writing.
 * Staff: the candidate's rating and comment, read-only.
 */
@Component({
  selector: 'app-rating-survey',
  imports: [DatePipe, FormsModule, MatButtonModule],
  template: `
    @if (state.value(); as state) {
      @if (mode() === 'staff') {
        <section class="survey staff" data-testid="staff-rating" aria-label="Calificación del candidato">
          @if (state.current; as current) {
            <strong>Calificación del candidato: {{ current.rating }}/5 ({{ labels[current.rating - 1] }})</strong>
            @if (current.comment) {
              <span class="comment" data-testid="staff-rating-comment">«{{ current.comment }}»</span>
            }
          } @else {
            <span>El candidato aún no califica esta atención.</span>
          }
        </section>
      } @else if (state.can_rate || state.current) {
        <section class="survey" data-testid="rating-survey" aria-labelledby="rating-survey-title">
          <h3 id="rating-survey-title">¿Cómo calificarías la atención que recibiste?</h3>
          @if (state.can_rate) {
            <div class="stars" role="radiogroup" aria-label="Calificación del 1 al 5">
              @for (value of [1, 2, 3, 4, 5]; track value) {
                <button
                  type="button"
                  role="radio"
                  class="star"
                  [class.selected]="value <= chosen()"
                  [attr.aria-checked]="value === chosen()"
                  [attr.aria-label]="value + ' — ' + labels[value - 1]"
                  [attr.data-testid]="'rate-' + value"
                  (click)="chosen.set(value)"
                >
                  ★
                </button>
              }
            </div>
            <label class="comment-field">
              Comentario (opcional)
              <textarea data-testid="rating-comment" maxlength="1000" rows="2" [(ngModel)]="comment"></textarea>
            </label>
            <button mat-flat-button type="button" data-testid="rating-submit" [disabled]="chosen() === 0 || saving()" (click)="save()">
              {{ state.current ? 'Actualizar calificación' : 'Enviar calificación' }}
            </button>
          }
          @if (state.current; as current) {
            <p class="thanks" data-testid="rating-thanks" role="status">
              ¡Gracias! Calificaste esta atención con {{ current.rating }}/5.
              @if (state.can_rate) {
                Puedes cambiarla hasta el {{ state.rate_until | date: 'd/M/yyyy' }}.
              }
            </p>
          }
          @if (error(); as error) {
            <p class="error" role="alert">{{ error }}</p>
          }
        </section>
      }
    }
  `,
  styles: `
    .survey {
      margin: 8px 16px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline-variant, #ccc);
      border-radius: 8px;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .survey.staff {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: baseline;
    }
    h3 {
      margin: 0;
      font-size: 1rem;
    }
    .stars {
      display: flex;
      gap: 4px;
    }
    .star {
      font-size: 1.6rem;
      background: none;
      border: none;
      cursor: pointer;
      color: #bbb;
    }
    .star.selected {
      color: #f5a623;
    }
    .comment-field {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .thanks,
    .error {
      margin: 0;
    }
    .error {
      color: var(--mat-sys-error, #b00020);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RatingSurveyComponent {
  private readonly api = inject(Api);
  readonly conversationId = input.required<string>();
  /** The conversation's status: the survey reloads when it changes (a new resolution). */
  readonly status = input.required<string>();
  readonly mode = input<'candidate' | 'staff'>('candidate');

  protected readonly labels = LABELS;
  protected readonly state = rxResource({
    params: () => ({ conversationId: this.conversationId(), status: this.status() }),
    // A survey that cannot be read shows nothing (reading `value()` of a failed resource would throw while rendering).
    stream: ({ params }) =>
      this.api.invoke(csatControllerGet, { conversationId: params.conversationId }).pipe(
        map((envelope): RatingStateDto | undefined => envelope.rating),
        catchError(() => of(undefined)),
      ),
  });
  protected readonly chosen = linkedSignal(() => this.state.value()?.current?.rating ?? 0);
  protected comment = '';
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly rated = computed(() => this.state.value()?.current !== null);

  protected save(): void {
    this.saving.set(true);
    this.error.set(null);
    this.api
      .invoke(csatControllerRate, { conversationId: this.conversationId(), body: { rating: this.chosen(), comment: this.comment.trim() || null } })
      .subscribe({
        next: (envelope) => {
          this.saving.set(false);
          this.state.set(envelope.rating);
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.error.set(apiErrorMessage(error, 'No se pudo guardar la calificación.'));
        },
      });
  }
}
