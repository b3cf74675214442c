import { BreakpointObserver } from '@angular/cdk/layout';
import { afterNextRender, computed, DestroyRef, Directive, effect, inject, Injector, input, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { map } from 'rxjs';

import type { ConversationDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { ConversationListComponent } from './conversation-list.component';
import { ConversationListStore } from './conversation-list.store';
import { ConversationStore } from './conversation.store';
import { NewConversationDialogComponent, NewConversationDialogData } from './new-conversation-dialog.component';

/** Below this width the list and the conversation are shown one at a time. */
export const CHAT_NARROW_QUERY = '(max-width: 899.98px)';

/**
 * What both chat pages share: the two stores, the selected conversation in the URL
 * (`?conversacion=<id>`, so reloads and shared links keep it), polling, the narrow layout with its back
 * button, and the wiring that keeps the list in step with the open conversation.
 */
@Directive()
export abstract class ChatPageBase {
  protected readonly list = inject(ConversationListStore);
  protected readonly conversation = inject(ConversationStore);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  protected readonly user = inject(AuthService).user;

  protected abstract readonly mode: 'candidate' | 'staff';

  /** `?conversacion=` (bound by the router). */
  readonly conversacion = input<string | undefined>();
  protected readonly selectedId = computed(() => this.conversacion() ?? null);
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(CHAT_NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly showList = computed(() => !this.narrow() || this.selectedId() === null);
  protected readonly showConversation = computed(() => !this.narrow() || this.selectedId() !== null);

  private readonly listComponent = viewChild(ConversationListComponent);

  constructor() {
    const destroyRef = inject(DestroyRef);
    effect(() => {
      const id = this.selectedId();
      untracked(() => this.conversation.open(id));
    });
    // The open conversation's changes (status, assignment, new messages, read) show in the list at once.
    effect(() => {
      const open = this.conversation.conversation();
      if (open) untracked(() => this.list.upsert(open));
    });
    this.conversation.arrivals$.pipe(takeUntilDestroyed(destroyRef)).subscribe((messages) => {
      for (const message of messages) this.list.applyMessage(message);
    });
    this.conversation.readMarked$
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ conversationId, unreadCount }) => this.list.markReadLocally(conversationId, unreadCount));

    this.conversation.startPolling();
    this.list.startPolling();
  }

  protected select(id: string): void {
    void this.router.navigate([], { queryParams: { conversacion: id }, queryParamsHandling: 'merge' });
  }

  /** Narrow screens: back to the list, with focus on the conversation just left. */
  protected back(): void {
    const left = this.selectedId();
    void this.router.navigate([], { queryParams: { conversacion: null }, queryParamsHandling: 'merge' }).then(() => {
      if (left) afterNextRender(() => this.listComponent()?.focusConversation(left), { injector: this.injector });
    });
  }

  protected openNewConversation(): void {
    const data: NewConversationDialogData = { mode: this.mode };
    this.dialog
      .open<NewConversationDialogComponent, NewConversationDialogData, ConversationDto>(NewConversationDialogComponent, { data, autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((created) => {
        if (!created) return;
        this.list.upsert(created);
        this.select(created.id);
      });
  }
}
