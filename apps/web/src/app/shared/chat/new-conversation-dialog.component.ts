import { afterNextRender, ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatAutocompleteModule, MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { catchError, debounceTime, distinctUntilChanged, of, switchMap } from 'rxjs';

import type { ConversationDto, UserSummaryDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatApiService } from './chat-api.service';
import { CONVERSATION_PRIORITIES, ConversationPriority, PRIORITY_LABELS } from './chat-labels';

export interface NewConversationDialogData {
  readonly mode: 'candidate' | 'staff';
}

/** The chat's default subject limit (`SUPPORT_CHAT_MAX_SUBJECT_LENGTH`). */
export const CHAT_MAX_SUBJECT_LENGTH = 255;

/**
 * "Nueva conversación". Candidates write a subject; staff first pick the candidate by searching the
 * user directory: the choice is explicit (picked from the list, shown under the field, cleared by
 * typing again), never the first match. Closes with the created conversation.
 */
@Component({
  selector: 'app-new-conversation-dialog',
  imports: [MatAutocompleteModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  templateUrl: './new-conversation-dialog.component.html',
  styles: `
    form,
    mat-dialog-content {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    form {
      min-width: min(420px, 80vw);
    }
    .option-detail {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      margin-left: 6px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewConversationDialogComponent {
  private readonly api = inject(ChatApiService);
  private readonly dialogRef = inject<MatDialogRef<NewConversationDialogComponent, ConversationDto>>(MatDialogRef);
  protected readonly data = inject<NewConversationDialogData>(MAT_DIALOG_DATA);

  protected readonly subject = signal('');
  protected readonly search = signal('');
  protected readonly candidate = signal<UserSummaryDto | null>(null);
  protected readonly priority = signal<ConversationPriority>('normal');
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly maxSubject = CHAT_MAX_SUBJECT_LENGTH;
  protected readonly priorities = CONVERSATION_PRIORITIES;
  protected readonly priorityLabels = PRIORITY_LABELS;

  private readonly firstField = viewChild<ElementRef<HTMLInputElement>>('firstField');
  private readonly subjectField = viewChild<ElementRef<HTMLInputElement>>('subjectField');

  protected readonly candidates = toSignal(
    toObservable(this.search).pipe(
      debounceTime(250),
      distinctUntilChanged(),
      switchMap((term) => (this.data.mode === 'staff' ? this.api.searchCandidates(term.trim()).pipe(catchError(() => of([]))) : of([]))),
    ),
    { initialValue: [] as UserSummaryDto[] },
  );

  constructor() {
    // The first field takes the caret as soon as it exists, not after the opening animation: what is
    // typed right away all lands in it (staff: the candidate search, which must come first).
    afterNextRender(() => (this.firstField() ?? this.subjectField())?.nativeElement.focus());
  }

  protected readonly displayCandidate = (candidate: UserSummaryDto | string | null): string =>
    typeof candidate === 'string' ? candidate : (candidate?.full_name ?? '');

  protected onSearch(event: Event): void {
    this.search.set((event.target as HTMLInputElement).value);
    this.candidate.set(null);
  }

  protected onCandidateSelected(event: MatAutocompleteSelectedEvent): void {
    this.candidate.set(event.option.value as UserSummaryDto);
  }

  protected submit(): void {
    if (this.saving()) return;
    if (this.data.mode === 'staff' && !this.candidate()) {
      this.error.set('Elige un candidato de la lista.');
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    const subject = this.subject().trim();
    this.api
      .createConversation({
        ...(subject ? { subject } : {}),
        ...(this.data.mode === 'staff' ? { candidate_user_id: this.candidate()!.id, priority: this.priority() } : {}),
      })
      .subscribe({
        next: (conversation) => this.dialogRef.close(conversation),
        error: (error: unknown) => {
          this.saving.set(false);
          this.error.set(apiErrorMessage(error, 'No se pudo crear la conversación.'));
        },
      });
  }
}
