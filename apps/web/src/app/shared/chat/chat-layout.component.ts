import { BreakpointObserver } from '@angular/cdk/layout';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, inject, Injector, input, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { map } from 'rxjs';

import type { ConversationDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { ChatPageSync } from './chat-page-sync.service';
import { ConversationListStore } from './conversation-list.store';
import { ConversationListComponent } from './conversation-list.component';
import { NewConversationDialogComponent, NewConversationDialogData } from './new-conversation-dialog.component';

/** Below this width the list and the conversation are shown one at a time. */
export const CHAT_NARROW_QUERY = '(max-width: 899.98px)';

/**
 * The frame of both chat pages: the list pane (title, "Nueva conversación", the page's own tools, and
 * the page's `ConversationListStore` as a scrolling list with its error) beside the conversation pane,
 * or one at a time on narrow screens. The page projects its parts:
 * - `[chatListTools]`: below the title (the inbox's search and filters);
 * - `[chatConversation]`: the open conversation (shown while `selectedId` is set);
 * - `[chatEmpty]`: what the conversation pane says while none is selected.
 */
@Component({
  selector: 'app-chat-layout',
  imports: [ConversationListComponent, MatButtonModule, MatIconModule],
  template: `
    <div class="chat-page" [class]="variant()" [class.narrow]="narrow()">
      @if (showList()) {
        <section class="chat-list-pane" [class.inbox]="variant() === 'support'" [attr.aria-labelledby]="titleId()">
          <div class="chat-list-header">
            <h1 [id]="titleId()">{{ listTitle() }}</h1>
            @if (!readOnly()) {
              <button mat-flat-button type="button" data-testid="new-conversation" (click)="openNewConversation()">
                <mat-icon svgIcon="add" aria-hidden="true" />
                Nueva conversación
              </button>
            }
          </div>
          <ng-content select="[chatListTools]" />
          @if (list.error(); as error) {
            <p class="chat-error" role="alert">{{ error }}</p>
          }
          <div class="chat-list-scroll">
            <app-conversation-list
              [label]="listLabel()"
              [mode]="variant() === 'support' ? 'staff' : 'candidate'"
              [emptyText]="emptyText()"
              [conversations]="list.items()"
              [selectedId]="selectedId()"
              [currentUserId]="user()?.id ?? ''"
              [loading]="list.loading()"
              [loadingMore]="list.loadingMore()"
              [hasMore]="list.hasMore()"
              (select)="sync.select($event)"
              (loadMore)="list.loadMore()"
            />
          </div>
        </section>
      }
      @if (showConversation()) {
        <section class="chat-detail-pane" aria-label="Conversación">
          @if (selectedId()) {
            <ng-content select="[chatConversation]" />
          } @else {
            <div class="chat-placeholder">
              <ng-content select="[chatEmpty]" />
            </div>
          }
        </section>
      }
    </div>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatLayoutComponent {
  protected readonly sync = inject(ChatPageSync);
  protected readonly list = inject(ConversationListStore);
  protected readonly user = inject(AuthService).user;
  /** Supervisors open no conversations. */
  protected readonly readOnly = inject(AuthService).readOnly;
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);

  readonly variant = input.required<'candidate' | 'support'>();
  readonly listTitle = input.required<string>();
  /** The list title's id (the list pane is labelled by it). */
  readonly titleId = input.required<string>();
  /** The list's accessible name and what it says when empty. */
  readonly listLabel = input.required<string>();
  readonly emptyText = input.required<string>();
  readonly selectedId = input<string | null>(null);

  /** Narrow screens show one pane at a time (the conversation gets a back button). */
  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(CHAT_NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly showList = computed(() => !this.narrow() || this.selectedId() === null);
  protected readonly showConversation = computed(() => !this.narrow() || this.selectedId() !== null);

  private readonly listComponent = viewChild(ConversationListComponent);

  /** Narrow screens: back to the list, with focus on the conversation just left. */
  back(): void {
    const left = this.selectedId();
    void this.sync.deselect().then(() => {
      if (left) afterNextRender(() => this.listComponent()?.focusConversation(left), { injector: this.injector });
    });
  }

  protected openNewConversation(): void {
    const data: NewConversationDialogData = { mode: this.variant() === 'support' ? 'staff' : 'candidate' };
    this.dialog
      .open<NewConversationDialogComponent, NewConversationDialogData, ConversationDto>(NewConversationDialogComponent, { data, autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((created) => {
        if (created) this.sync.opened(created);
      });
  }
}
