import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, ElementRef, input, output, signal, viewChildren } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { ConversationListItemDto } from '@app/api/models';
import { LabelChipComponent } from '@app/shared/team-tools/label-chip.component';
import { UnreadBadgeComponent } from '@app/shared/unread-badge/unread-badge.component';
import { PRIORITY_LABELS, STATUS_LABELS, subjectOf } from './chat-labels';
import { InViewDirective } from './in-view.directive';

/**
 * A list of conversations (the candidate's, or the support inbox) as a listbox: one Tab stop, arrow
 * keys / Home / End move, Enter or Space opens. More load when the end comes into view.
 */
@Component({
  selector: 'app-conversation-list',
  imports: [DatePipe, InViewDirective, LabelChipComponent, MatButtonModule, MatProgressSpinnerModule, UnreadBadgeComponent],
  templateUrl: './conversation-list.component.html',
  styleUrl: './conversation-list.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationListComponent {
  readonly conversations = input.required<readonly ConversationListItemDto[]>();
  readonly selectedId = input<string | null>(null);
  readonly currentUserId = input.required<string>();
  /** `staff`: candidate names, priority and assignee are shown. */
  readonly mode = input<'candidate' | 'staff'>('candidate');
  readonly loading = input(false);
  readonly loadingMore = input(false);
  readonly hasMore = input(false);
  readonly emptyText = input('No hay conversaciones.');
  readonly label = input('Conversaciones');

  readonly select = output<string>();
  readonly loadMore = output<void>();

  private readonly options = viewChildren<ElementRef<HTMLElement>>('option');
  private readonly activeIdState = signal<string | null>(null);
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly subjectOf = subjectOf;

  /** The option that holds the single Tab stop: the focused one, else the selected one, else the first. */
  protected readonly activeId = computed(() => {
    const items = this.conversations();
    const wanted = this.activeIdState() ?? this.selectedId();
    return items.some((item) => item.id === wanted) ? wanted : (items[0]?.id ?? null);
  });

  /** Moves keyboard focus to the conversation (after coming back from it on narrow screens). */
  focusConversation(id: string): void {
    this.activeIdState.set(id);
    const index = this.conversations().findIndex((item) => item.id === id);
    this.options()[index]?.nativeElement.focus();
  }

  protected onKeydown(event: KeyboardEvent, index: number): void {
    const items = this.conversations();
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(index + 1, items.length - 1);
        break;
      case 'ArrowUp':
        next = Math.max(index - 1, 0);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.select.emit(items[index].id);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.activeIdState.set(items[next].id);
    this.options()[next]?.nativeElement.focus();
    if (next === items.length - 1 && this.hasMore()) this.loadMore.emit();
  }

  protected onFocus(id: string): void {
    this.activeIdState.set(id);
  }

  protected preview(item: ConversationListItemDto): string {
    const message = item.last_message;
    if (!message) return 'Sin mensajes todavía';
    const own = message.sender_user_id === this.currentUserId();
    const body = message.content?.trim() || (message.attachment ? `📎 ${message.attachment.name ?? 'Archivo'}` : '');
    if (message.message_type === 'system') return body;
    return own ? `Tú: ${body}` : this.mode() === 'staff' ? `${message.sender.full_name}: ${body}` : body;
  }

  /** How long the oldest unanswered candidate message has waited ("3 min", "2 h", "1 d"), at render time. */
  protected waitingLabel(since: string): string {
    const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60_000));
    if (minutes < 60) return `${minutes} min`;
    if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h`;
    return `${Math.floor(minutes / (24 * 60))} d`;
  }
}
