import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  DOCUMENT,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { finalize } from 'rxjs';

import { apiErrorMessage } from '@app/core/http/api-error';
import { ChatPresenceService } from '@app/core/realtime/chat-presence.service';
import { AuthService } from '@app/core/auth/auth.service';
import { ConnectivityService } from '@app/core/network/connectivity.service';
import type { LabelDto } from '@app/api/models';
import { ConversationLabelsComponent } from '@app/shared/team-tools/conversation-labels.component';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, ConversationStatus, PRIORITY_LABELS, STATUS_LABELS, subjectOf } from './chat-labels';
import { RatingSurveyComponent } from '@app/shared/csat/rating-survey.component';
import { ConversationStore } from './conversation.store';
import { OutboxStore } from './outbox.store';
import { TranscriptDownloadService } from './transcript-download.service';
import { ComposerSubmit, MessageComposerComponent } from './message-composer.component';
import { MessageTimelineComponent } from './message-timeline.component';

/**
 * The open conversation: header with status and actions, the timeline and the composer. Reads the
 * page's `ConversationStore`. Marks the conversation as read while it is on screen and the tab is visible.
 */
@Component({
  selector: 'app-conversation-pane',
  imports: [
    RatingSurveyComponent,
    ConversationLabelsComponent,
    DatePipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatIconModule,
    MatMenuModule,
    MatProgressSpinnerModule,
    MessageComposerComponent,
    MessageTimelineComponent,
  ],
  templateUrl: './conversation-pane.component.html',
  styleUrl: './conversation-pane.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationPaneComponent {
  protected readonly store = inject(ConversationStore);
  protected readonly outbox = inject(OutboxStore);
  protected readonly presence = inject(ChatPresenceService);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);

  readonly mode = input<'candidate' | 'staff'>('candidate');
  /** Narrow screens: a back button to the list. */
  readonly showBack = input(false);
  /** The conversation just created here: when it opens, the caret goes to the composer, not the heading. */
  readonly focusComposerOn = input<string | null>(null);
  readonly back = output<void>();

  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private readonly composer = viewChild(MessageComposerComponent);
  private readonly labelsEditor = viewChild(ConversationLabelsComponent);
  private readonly pageVisible = signal(this.document.visibilityState !== 'hidden');

  private readonly auth = inject(AuthService);
  protected readonly user = this.auth.user;
  /** A candidate may reopen a conversation staff closed only where the server allows it (`GET /me`). */
  protected readonly canReopenClosed = this.auth.canReopenClosed;
  /** Supervisors (`GET /me` kind `supervisor`): no composer, no status or assignment actions; the server refuses them anyway. */
  protected readonly readOnly = this.auth.readOnly;
  /** Offline, the other side's presence is unknown (the last known state may be stale). */
  protected readonly online = inject(ConnectivityService).online;
  protected readonly conversation = this.store.conversation;
  /** This conversation's messages not yet confirmed by the API. */
  protected readonly pending = computed(() => this.outbox.pendingIn(this.store.conversationId()));
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly statuses = CONVERSATION_STATUSES;
  protected readonly priorities = CONVERSATION_PRIORITIES;
  protected readonly subjectOf = subjectOf;
  protected readonly showSummary = signal(false);
  private readonly transcripts = inject(TranscriptDownloadService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly downloadingTranscript = signal(false);
  protected readonly transcriptError = signal<string | null>(null);
  protected readonly assignedToMe = computed(() => {
    const conversation = this.conversation();
    return !!conversation && conversation.assigned_support_user_id === this.user()?.id;
  });
  protected readonly composerDisabledReason = computed(() => {
    if (!this.store.isClosed()) return null;
    if (this.mode() === 'staff') return 'La conversación está cerrada. Reábrela (estado «Abierta») para responder.';
    return this.canReopenClosed()
      ? 'El equipo de soporte cerró esta conversación. Reábrela para responder o inicia una nueva conversación.'
      : 'El equipo de soporte cerró esta conversación. Si necesitas más ayuda, inicia una nueva conversación.';
  });

  constructor() {
    // Typing indicator and online dot of the open conversation (Socket.IO), once it has loaded.
    effect(() => {
      const id = this.store.conversation()?.id ?? null;
      untracked(() => this.presence.watch(id));
    });
    inject(DestroyRef).onDestroy(() => this.presence.release());
    const onVisibility = () => this.pageVisible.set(this.document.visibilityState !== 'hidden');
    this.document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => this.document.removeEventListener('visibilitychange', onVisibility));

    // Mark as read whenever new messages are on screen and the tab is visible.
    effect(() => {
      this.store.messages();
      if (this.pageVisible() && !this.store.loading()) untracked(() => this.store.markRead());
    });

    // Focus the heading when a conversation opens, so screen readers announce it and Tab reaches the
    // composer; a conversation just created goes straight to the composer (the next thing to do is write).
    let focusedFor: string | null = null;
    effect(() => {
      const conversation = this.conversation();
      if (!conversation || conversation.id === focusedFor) return;
      focusedFor = conversation.id;
      const toComposer = conversation.id === untracked(this.focusComposerOn);
      afterNextRender(() => (toComposer ? this.focusComposer() : this.heading()?.nativeElement.focus({ preventScroll: true })), { injector: this.injector });
    });
  }

  protected onSend(message: ComposerSubmit): void {
    this.outbox.send(this.store.conversationId(), message.content, message.attachment);
  }

  protected setStatus(status: ConversationStatus): void {
    if (this.conversation()?.status !== status) this.store.changeStatus(status);
  }

  /** Saves the conversation as a printable HTML file, times in this browser's zone. */
  protected downloadTranscript(conversationId: string): void {
    this.downloadingTranscript.set(true);
    this.transcriptError.set(null);
    this.transcripts
      .download(conversationId)
      .pipe(
        finalize(() => this.downloadingTranscript.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({ error: (error: unknown) => this.transcriptError.set(apiErrorMessage(error, 'No se pudo descargar la conversación.')) });
  }

  protected assignToMe(): void {
    const me = this.user();
    if (me) this.store.assignTo(me.id);
  }

  focusComposer(): void {
    this.composer()?.focus();
  }

  /** Staff: the composer with the quick-reply picker open (the inbox's `/` shortcut). */
  openQuickReplies(): void {
    this.composer()?.openQuickReplies();
  }

  /** Staff: the conversation's label menu (the inbox's `l` shortcut). */
  openLabels(): void {
    this.labelsEditor()?.open();
  }

  protected onLabelsChange(labels: LabelDto[]): void {
    const conversation = this.store.conversation();
    if (conversation) this.store.applyConversation({ ...conversation, labels });
  }
}
