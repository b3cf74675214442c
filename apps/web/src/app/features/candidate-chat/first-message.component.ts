import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { switchMap } from 'rxjs';

import type { ConversationDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatApiService } from '@app/shared/chat/chat-api.service';
import { CHAT_MAX_MESSAGE_LENGTH, characterCount } from '@app/shared/chat/chat-limits';
import { ComposerDrafts } from '@app/shared/chat/composer-drafts';
import { newClientMessageId } from '@app/shared/chat/message-timeline-order';
import { CHAT_MAX_SUBJECT_LENGTH } from '@app/shared/chat/new-conversation-dialog.component';

/** Length of a subject taken from the first message when none is written. */
const DERIVED_SUBJECT_LENGTH = 80;

/** The first line of `message`, whitespace collapsed, cut at a word within 80 characters ("…" when cut). */
export function subjectFromMessage(message: string): string {
  const firstLine = message.trim().split('\n')[0].replace(/\s+/g, ' ').trim();
  const chars = Array.from(firstLine);
  if (chars.length <= DERIVED_SUBJECT_LENGTH) return firstLine;
  const cut = chars.slice(0, DERIVED_SUBJECT_LENGTH - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > DERIVED_SUBJECT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A candidate with no conversations yet: write the first message right here (the subject is optional
 * and taken from the message when left empty). Creates the conversation, sends the message, and
 * emits the conversation so the page opens it.
 */
@Component({
  selector: 'app-first-message',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  template: `
    <section class="first" aria-labelledby="first-message-title">
      <h1 id="first-message-title">Escríbele al equipo de soporte</h1>
      <p class="intro">Aún no tienes conversaciones. Cuéntanos qué pasa y te responderemos aquí mismo.</p>
      <form (submit)="$event.preventDefault(); submit()">
        <mat-form-field>
          <mat-label>Asunto (opcional)</mat-label>
          <input
            matInput
            data-testid="first-message-subject"
            [value]="subject()"
            [attr.maxlength]="maxSubject"
            (input)="subject.set($any($event.target).value)"
            placeholder="Ej.: No puedo iniciar mi examen"
          />
          <mat-hint>Si lo dejas vacío, usamos el inicio de tu mensaje.</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Tu mensaje</mat-label>
          <textarea
            matInput
            data-testid="first-message-text"
            rows="5"
            required
            [value]="text()"
            (input)="text.set($any($event.target).value)"
            (keydown.control.enter)="submit()"
          ></textarea>
          <mat-hint align="end" [class.too-long]="tooLong()">{{ count() }} / {{ maxLength }}</mat-hint>
        </mat-form-field>
        @if (error(); as error) {
          <p class="error" role="alert">{{ error }}</p>
        }
        <div class="actions">
          <button mat-flat-button type="submit" data-testid="first-message-send" [disabled]="saving()">
            <mat-icon svgIcon="send" aria-hidden="true" />
            Enviar
          </button>
        </div>
      </form>
    </section>
  `,
  styles: `
    :host {
      flex: 1 1 auto;
      display: flex;
      justify-content: center;
      overflow-y: auto;
      padding: 24px 16px;
    }
    .first {
      width: min(100%, 640px);
    }
    h1 {
      margin: 0 0 8px;
      font: var(--mat-sys-headline-small);
    }
    .intro {
      margin: 0 0 16px;
      color: var(--mat-sys-on-surface-variant);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
    .too-long {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FirstMessageComponent {
  private readonly api = inject(ChatApiService);
  private readonly drafts = inject(ComposerDrafts);

  /** Sending began: the page keeps this form until `created` (the new conversation may reach the list first). */
  readonly started = output<void>();
  readonly created = output<ConversationDto>();

  protected readonly maxSubject = CHAT_MAX_SUBJECT_LENGTH;
  protected readonly maxLength = CHAT_MAX_MESSAGE_LENGTH;
  protected readonly subject = signal('');
  protected readonly text = signal('');
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly count = computed(() => characterCount(this.text()));
  protected readonly tooLong = computed(() => this.count() > this.maxLength);

  protected submit(): void {
    if (this.saving()) return;
    const content = this.text().trim();
    if (!content) {
      this.error.set('Escribe tu mensaje.');
      return;
    }
    if (this.tooLong()) {
      this.error.set(`El mensaje supera el máximo de ${this.maxLength} caracteres.`);
      return;
    }
    const subject = this.subject().trim() || subjectFromMessage(content);
    this.saving.set(true);
    this.error.set(null);
    this.started.emit();
    let conversation: ConversationDto | null = null;
    this.api
      .createConversation({ subject })
      .pipe(
        switchMap((created) => {
          conversation = created;
          return this.api.sendMessage(created.id, { content, client_message_id: newClientMessageId() });
        }),
      )
      .subscribe({
        next: () => this.created.emit(conversation!),
        error: (error: unknown) => {
          if (conversation) {
            // The conversation exists but the message did not go: open it with the text as its draft.
            this.drafts.set(conversation.id, content);
            this.created.emit(conversation);
            return;
          }
          this.saving.set(false);
          this.error.set(apiErrorMessage(error, 'No se pudo enviar tu mensaje.'));
        },
      });
  }
}
