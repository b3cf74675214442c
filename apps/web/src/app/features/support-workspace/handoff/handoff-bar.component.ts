import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';

import type { ConversationDto, StaffMemberDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatApiService } from '@app/shared/chat/chat-api.service';
import { ConversationStore } from '@app/shared/chat/conversation.store';
import { newClientMessageId } from '@app/shared/chat/message-timeline-order';

export type HandoffMode = 'note' | 'transfer' | 'escalate' | 'return';

const TITLES: Record<HandoffMode, string> = {
  note: 'Nota interna (solo la ve el equipo)',
  transfer: 'Transferir a un colega',
  escalate: 'Turnar a coordinación',
  return: 'Regresar al equipo',
};

/**
 * Staff handling of the open conversation: who handles it (and whether it is escalated), an internal
 * note, transfer to a colleague (picker with online state and open conversations), escalation to a
 * coordinator and return. An optional internal note travels with a hand-off; the candidate never sees it.
 */
@Component({
  selector: 'app-handoff-bar',
  imports: [FormsModule, MatButtonModule],
  template: `
    @if (store.conversation(); as conversation) {
      <div class="bar" data-testid="handoff-bar">
        <span class="handler" data-testid="current-handler">
          Atiende: <strong>{{ conversation.assigned_support_user?.full_name ?? 'Sin asignar' }}</strong>
          @if (conversation.handling_tier === 'coordinator') {
            <span class="tier" data-testid="tier-coordinator">Coordinación</span>
          }
        </span>
        <span class="actions">
          <button mat-stroked-button type="button" data-testid="handoff-note" (click)="open('note')">Nota interna</button>
          <button mat-stroked-button type="button" data-testid="handoff-transfer" (click)="open('transfer')">Transferir</button>
          @if (conversation.handling_tier === 'coordinator') {
            <button mat-stroked-button type="button" data-testid="handoff-return" (click)="open('return')">Regresar al equipo</button>
          } @else {
            <button mat-stroked-button type="button" data-testid="handoff-escalate" (click)="open('escalate')">Turnar a coordinación</button>
          }
        </span>
      </div>
      @if (mode(); as mode) {
        <form class="panel" [attr.aria-label]="titles[mode]" data-testid="handoff-panel" (ngSubmit)="submit(conversation)">
          <h3>{{ titles[mode] }}</h3>
          @if (mode !== 'note') {
            <fieldset class="picker">
              <legend>
                {{
                  mode === 'escalate'
                    ? 'Coordinador (opcional: sin elegir, va a la cola de coordinación)'
                    : mode === 'return'
                      ? 'Agente (opcional: sin elegir, va a «Sin asignar»)'
                      : 'Colega'
                }}
              </legend>
              @for (member of choices(); track member.id) {
                <label class="member" [attr.data-testid]="'staff-option-' + (member.username ?? member.id)">
                  <input type="radio" name="target" [value]="member.id" [(ngModel)]="target" />
                  <span class="dot" [class.online]="member.online" [attr.aria-label]="member.online ? 'En línea' : 'Desconectado'"></span>
                  <span class="name">{{ member.full_name }}</span>
                  <span class="load">{{ member.open_conversations }} {{ member.open_conversations === 1 ? 'abierta' : 'abiertas' }}</span>
                </label>
              } @empty {
                <p>No hay nadie disponible.</p>
              }
            </fieldset>
          }
          <label class="note-field">
            <span>{{ mode === 'note' ? 'Nota' : 'Nota interna (opcional)' }}</span>
            <textarea #noteInput name="note" rows="3" data-testid="handoff-note-text" [(ngModel)]="note" (keydown.escape)="close()"></textarea>
          </label>
          @if (error(); as error) {
            <p class="error" role="alert">{{ error }}</p>
          }
          <div class="buttons">
            <button mat-button type="button" (click)="close()">Cancelar</button>
            <button mat-flat-button type="submit" data-testid="handoff-submit" [disabled]="busy()">{{ mode === 'note' ? 'Guardar nota' : 'Confirmar' }}</button>
          </div>
        </form>
      }
    }
  `,
  styles: `
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 4px 12px;
      padding: 4px 16px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      font: var(--mat-sys-body-small);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .tier {
      margin-left: 6px;
      padding: 1px 8px;
      border-radius: 8px;
      background: #ede7f6;
      color: #311b92;
    }
    .panel {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      background: #fff8e1;
    }
    h3 {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .picker {
      display: flex;
      flex-direction: column;
      max-height: 160px;
      overflow: auto;
      border: 0;
      padding: 0;
      margin: 0;
    }
    .member {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .name {
      flex: 1 1 auto;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .dot {
      flex: none;
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #9e9e9e;
    }
    .dot.online {
      background: #2e7d32;
    }
    .load {
      flex: none;
      margin-left: auto;
      white-space: nowrap;
      color: var(--mat-sys-on-surface-variant);
    }
    .note-field {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    textarea {
      font: inherit;
    }
    .buttons {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HandoffBarComponent {
  protected readonly store = inject(ConversationStore);
  private readonly api = inject(ChatApiService);
  private readonly auth = inject(AuthService);
  protected readonly titles = TITLES;
  protected readonly mode = signal<HandoffMode | null>(null);
  protected readonly staff = signal<readonly StaffMemberDto[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected target: string | null = null;
  protected note = '';
  private readonly noteInput = viewChild<ElementRef<HTMLTextAreaElement>>('noteInput');

  /** Who may receive: colleagues (not me, not the current handler); coordinators only for an escalation. */
  protected readonly choices = computed(() => {
    const me = this.auth.user()?.id;
    const current = this.store.conversation()?.assigned_support_user_id;
    return this.staff().filter((member) => member.id !== me && member.id !== current && (this.mode() !== 'escalate' || member.is_coordinator));
  });

  /** Opens a form (also from the keyboard shortcuts "n" and "t"). */
  open(mode: HandoffMode): void {
    if (!this.store.conversation()) return;
    this.mode.set(mode);
    this.target = null;
    this.note = '';
    this.error.set(null);
    if (mode !== 'note') this.api.staff().subscribe({ next: (staff) => this.staff.set(staff), error: () => this.error.set('No se pudo cargar el equipo.') });
    setTimeout(() => this.noteInput()?.nativeElement.focus());
  }

  protected close(): void {
    this.mode.set(null);
  }

  protected submit(conversation: ConversationDto): void {
    const mode = this.mode();
    if (!mode || this.busy()) return;
    const note = this.note.trim();
    if (mode === 'note' && !note) {
      this.error.set('Escribe la nota.');
      return;
    }
    if (mode === 'transfer' && !this.target) {
      this.error.set('Elige a quién transferir.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const done = {
      next: () => {
        this.busy.set(false);
        this.mode.set(null);
        this.store.pollNow();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(apiErrorMessage(error, 'No se pudo completar la acción.'));
      },
    };
    if (mode === 'note') {
      this.api.addNote(conversation.id, note, newClientMessageId()).subscribe({ ...done, next: (message) => (this.store.applyMessage(message), done.next()) });
      return;
    }
    const request =
      mode === 'transfer'
        ? this.api.transfer(conversation.id, this.target!, note || undefined)
        : mode === 'escalate'
          ? this.api.escalate(conversation.id, this.target, note || undefined)
          : this.api.returnToAgents(conversation.id, this.target, note || undefined);
    request.subscribe({ ...done, next: (updated) => (this.store.applyConversation(updated), done.next()) });
  }
}
