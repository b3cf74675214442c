import { ChangeDetectionStrategy, Component, computed, DestroyRef, DOCUMENT, ElementRef, inject, input, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatDialog } from '@angular/material/dialog';
import { debounceTime, distinctUntilChanged, fromEvent, Subject } from 'rxjs';

import { ChatLayoutComponent } from '@app/shared/chat/chat-layout.component';
import { ChatPageSync } from '@app/shared/chat/chat-page-sync.service';
import { CONVERSATION_STATUSES, ConversationStatus, STATUS_LABELS } from '@app/shared/chat/chat-labels';
import { ConversationListStore } from '@app/shared/chat/conversation-list.store';
import { ConversationPaneComponent } from '@app/shared/chat/conversation-pane.component';
import { ConversationStore } from '@app/shared/chat/conversation.store';
import { focusSeqParam } from '@app/shared/chat/message-search/focus-seq';
import { MessageSearchComponent } from '@app/shared/chat/message-search/message-search.component';
import { MessageSearchStore } from '@app/shared/chat/message-search/message-search.store';
import { OutboxStore } from '@app/shared/chat/outbox.store';
import { LabelChipComponent } from '@app/shared/team-tools/label-chip.component';
import { LabelsStore } from '@app/shared/team-tools/labels.store';
import { KeyboardShortcutsDialogComponent } from '@app/shared/keyboard-shortcuts/keyboard-shortcuts-dialog.component';
import { StaffShortcutAction, staffShortcut } from '@app/shared/keyboard-shortcuts/staff-shortcuts';
import { HandoffBarComponent } from './handoff/handoff-bar.component';

/**
 * `/support/communication`: the support inbox (every conversation, newest activity first, filters,
 * search, infinite scroll) beside the open conversation with its actions and the candidate's summary.
 * Keyboard shortcuts (see `staff-shortcuts.ts`, listed with "?"): next/previous conversation, search,
 * reply, quick reply, labels, internal note, transfer. Labels show on the conversations and filter the inbox;
 * the hand-off bar (`handoff/`) holds notes, transfer and escalation.
 */
@Component({
  selector: 'app-support-communication-page',
  imports: [
    ChatLayoutComponent,
    ConversationPaneComponent,
    LabelChipComponent,
    HandoffBarComponent,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    MessageSearchComponent,
  ],
  providers: [ConversationListStore, ConversationStore, OutboxStore, ChatPageSync, MessageSearchStore],
  template: `
    <app-chat-layout
      #layout
      variant="support"
      listTitle="Bandeja de entrada"
      titleId="inbox-title"
      listLabel="Conversaciones de candidatos"
      emptyText="No hay conversaciones con estos filtros."
      [selectedId]="selectedId()"
    >
      <div chatListTools class="inbox-filters" role="search" aria-label="Filtrar conversaciones">
        <mat-form-field class="search" subscriptSizing="dynamic">
          <mat-icon matPrefix svgIcon="search" aria-hidden="true" />
          <mat-label>Buscar por candidato o asunto</mat-label>
          <input #search matInput type="search" data-testid="inbox-search" [value]="list.filters().search" (input)="onSearch($event)" />
        </mat-form-field>
        <div class="filter-row">
          <mat-button-toggle-group hideSingleSelectionIndicator aria-label="Estado" [value]="list.filters().status ?? 'all'" (change)="setStatus($event.value)">
            <mat-button-toggle value="all">Todas</mat-button-toggle>
            @for (status of statuses; track status) {
              <mat-button-toggle [value]="status" [attr.data-testid]="'filter-' + status">{{ statusLabels[status] }}s</mat-button-toggle>
            }
          </mat-button-toggle-group>
          <mat-slide-toggle data-testid="filter-mine" [checked]="list.filters().assignedToMe" (change)="list.setFilters({ assignedToMe: $event.checked })">
            Asignadas a mí
          </mat-slide-toggle>
          <mat-slide-toggle data-testid="filter-unassigned" [checked]="!!list.filters().unassigned" (change)="list.setFilters({ unassigned: $event.checked })">
            Sin asignar
          </mat-slide-toggle>
          <mat-slide-toggle data-testid="filter-escalated" [checked]="!!list.filters().escalated" (change)="list.setFilters({ escalated: $event.checked })">
            Coordinación
          </mat-slide-toggle>
          @if (labels.labels().length > 0 || list.filters().labelId) {
            <mat-form-field class="label-filter" subscriptSizing="dynamic">
              <mat-label>Etiqueta</mat-label>
              <mat-select data-testid="filter-label" [value]="list.filters().labelId" (selectionChange)="list.setFilters({ labelId: $event.value })">
                <mat-option [value]="null">Todas</mat-option>
                @for (label of labels.labels(); track label.id) {
                  <mat-option [value]="label.id" [attr.data-testid]="'filter-label-' + label.id"><app-label-chip [label]="label" /></mat-option>
                }
              </mat-select>
            </mat-form-field>
          }
        </div>
        <app-message-search [showCandidate]="true" (selected)="sync.select($event.conversationId, $event.seq)" />
        <p class="inbox-count" aria-live="polite">{{ list.total() === 1 ? '1 conversación' : list.total() + ' conversaciones' }}</p>
      </div>
      @if (selectedId()) {
        <div chatConversation class="staff-conversation">
          <app-handoff-bar />
          <app-conversation-pane mode="staff" [showBack]="layout.narrow()" [focusComposerOn]="sync.composerFocusFor()" (back)="layout.back()" />
        </div>
      }
      <ng-container chatEmpty>
        <h2>Elige una conversación de la bandeja</h2>
        <p>Usa las flechas para recorrer la lista y Enter para abrir una conversación.</p>
      </ng-container>
    </app-chat-layout>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
    }
    .inbox-filters {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 0 16px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .search {
      width: 100%;
    }
    .filter-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
    /* Four statuses fit a 340 px inbox column (label padding: styles.scss). */
    .filter-row mat-button-toggle-group {
      --mat-button-toggle-label-text-size: 0.8125rem;
      max-width: 100%;
    }

    .label-filter {
      width: 180px;
      --mat-form-field-container-height: 40px;
      --mat-form-field-container-vertical-padding: 8px;
    }
    .staff-conversation {
      display: flex;
      flex-direction: column;
      flex: 1;
      height: 100%;
      min-height: 0;
      min-width: 0;
    }
    .staff-conversation app-conversation-pane {
      flex: 1;
      min-height: 0;
    }

    .inbox-count {
      margin: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SupportCommunicationPageComponent {
  protected readonly list = inject(ConversationListStore);
  protected readonly labels = inject(LabelsStore);
  protected readonly sync = inject(ChatPageSync);
  /** `?conversacion=` (bound by the router). */
  readonly conversacion = input<string | undefined>();
  protected readonly selectedId = computed(() => this.conversacion() ?? null);
  /** `?mensaje=` (bound by the router): the message a search result opens the conversation at. */
  readonly mensaje = input<string | undefined>();
  protected readonly focusSeq = computed(() => focusSeqParam(this.mensaje()));
  protected readonly statuses = CONVERSATION_STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  private readonly searches = new Subject<string>();
  private readonly searchInput = viewChild<ElementRef<HTMLInputElement>>('search');
  private readonly pane = viewChild(ConversationPaneComponent);
  private readonly handoff = viewChild(HandoffBarComponent);
  private readonly dialogs = inject(MatDialog);

  constructor() {
    this.sync.connect(this.selectedId, this.focusSeq);
    this.list.setFilters({});
    this.labels.load();
    const destroyRef = inject(DestroyRef);
    this.searches.pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed(destroyRef)).subscribe((search) => this.list.setFilters({ search }));
    fromEvent<KeyboardEvent>(inject(DOCUMENT), 'keydown')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((event) => this.onShortcut(event));
  }

  private onShortcut(event: KeyboardEvent): void {
    // A dialog or menu owns the keyboard while it is open.
    if (this.dialogs.openDialogs.length > 0) return;
    const action = staffShortcut(event);
    if (!action) return;
    event.preventDefault();
    this.runShortcut(action);
  }

  private runShortcut(action: StaffShortcutAction): void {
    switch (action) {
      case 'next':
      case 'previous': {
        const items = this.list.items();
        if (items.length === 0) return;
        const current = items.findIndex((item) => item.id === this.selectedId());
        const target = current === -1 ? 0 : current + (action === 'next' ? 1 : -1);
        if (target >= 0 && target < items.length) this.sync.select(items[target].id);
        return;
      }
      case 'search':
        this.searchInput()?.nativeElement.focus();
        return;
      case 'composer':
        this.pane()?.focusComposer();
        return;
      case 'quickReply':
        this.pane()?.openQuickReplies();
        return;
      case 'labels':
        this.pane()?.openLabels();
        return;
      case 'note':
        this.handoff()?.open('note');
        return;
      case 'transfer':
        this.handoff()?.open('transfer');
        return;
      case 'help':
        this.dialogs.open(KeyboardShortcutsDialogComponent, { autoFocus: 'dialog' });
        return;
    }
  }

  protected onSearch(event: Event): void {
    this.searches.next((event.target as HTMLInputElement).value);
  }

  protected setStatus(value: ConversationStatus | 'all'): void {
    this.list.setFilters({ status: value === 'all' ? null : value });
  }
}
