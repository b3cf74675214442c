import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Observable } from 'rxjs';

import type { QuickReplyDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { LabelChipComponent } from '@app/shared/team-tools/label-chip.component';
import { LabelsStore } from '@app/shared/team-tools/labels.store';
import { QUICK_REPLY_VARIABLES } from '@app/shared/team-tools/quick-reply-variables';
import { TeamToolsApiService } from '@app/shared/team-tools/team-tools-api.service';
import { QuickRepliesStore } from './quick-replies.store';

interface ReplyDraft {
  readonly id: string | null;
  readonly scope: 'personal' | 'team';
  readonly title: string;
  readonly shortcut: string;
  readonly body: string;
}

const EMPTY_DRAFT: ReplyDraft = { id: null, scope: 'personal', title: '', shortcut: '', body: '' };

/**
 * `/support/respuestas-rapidas`: the caller's quick replies and the team's (admins edit the team's),
 * and the labels (admins create, recolour and delete them; other staff see them).
 */
@Component({
  selector: 'app-quick-replies-and-labels-page',
  imports: [LabelChipComponent, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatIconModule, MatInputModule],
  providers: [QuickRepliesStore],
  templateUrl: './quick-replies-and-labels-page.component.html',
  styleUrl: './quick-replies-and-labels-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QuickRepliesAndLabelsPageComponent {
  protected readonly replies = inject(QuickRepliesStore);
  protected readonly labels = inject(LabelsStore);
  private readonly api = inject(TeamToolsApiService);

  protected readonly variables = QUICK_REPLY_VARIABLES.map((name) => `{{${name}}}`);
  protected readonly draft = signal<ReplyDraft>(EMPTY_DRAFT);
  protected readonly canSaveReply = computed(() => {
    const draft = this.draft();
    return !this.replies.saving() && draft.title.trim() !== '' && draft.body.trim() !== '';
  });
  protected readonly personal = computed(() => this.replies.replies().filter((reply) => reply.scope === 'personal'));
  protected readonly team = computed(() => this.replies.replies().filter((reply) => reply.scope === 'team'));

  protected readonly labelName = signal('');
  protected readonly labelColor = signal('#1e88e5');
  protected readonly labelBusy = signal(false);
  protected readonly labelError = signal<string | null>(null);

  constructor() {
    this.replies.load();
    this.labels.load();
  }

  protected edit(reply: QuickReplyDto): void {
    this.draft.set({ id: reply.id, scope: reply.scope, title: reply.title, shortcut: reply.shortcut ?? '', body: reply.body });
  }

  protected resetDraft(): void {
    this.draft.set(EMPTY_DRAFT);
  }

  protected patchDraft(change: Partial<ReplyDraft>): void {
    this.draft.update((draft) => ({ ...draft, ...change }));
  }

  protected field(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }

  protected insertVariable(variable: string, body: HTMLTextAreaElement): void {
    body.focus();
    body.setRangeText(variable, body.selectionStart, body.selectionEnd, 'end');
    this.patchDraft({ body: body.value });
  }

  protected saveReply(): void {
    const draft = this.draft();
    if (!this.canSaveReply()) return;
    const fields = { title: draft.title.trim(), body: draft.body, shortcut: draft.shortcut.trim() || null };
    const onSaved = () => this.draft.set(EMPTY_DRAFT);
    if (draft.id) this.replies.save({ kind: 'update', id: draft.id, body: fields, onSaved });
    else this.replies.save({ kind: 'create', body: { ...fields, scope: draft.scope }, onSaved });
  }

  protected deleteReply(reply: QuickReplyDto): void {
    this.replies.save({ kind: 'delete', id: reply.id });
  }

  protected createLabel(): void {
    const name = this.labelName().trim();
    if (!name || this.labelBusy()) return;
    this.changeLabels(this.api.createLabel({ name, color: this.labelColor() }), () => this.labelName.set(''));
  }

  protected recolor(labelId: string, color: string): void {
    this.changeLabels(this.api.updateLabel(labelId, { color }));
  }

  protected deleteLabel(labelId: string): void {
    this.changeLabels(this.api.deleteLabel(labelId));
  }

  private changeLabels(request: Observable<unknown>, done?: () => void): void {
    this.labelBusy.set(true);
    this.labelError.set(null);
    request.subscribe({
      next: () => {
        this.labelBusy.set(false);
        done?.();
        this.labels.load();
      },
      error: (error: unknown) => {
        this.labelBusy.set(false);
        this.labelError.set(apiErrorMessage(error, 'No se pudo guardar la etiqueta.'));
      },
    });
  }
}
