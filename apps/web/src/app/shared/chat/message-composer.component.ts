import { CdkTextareaAutosize, TextFieldModule } from '@angular/cdk/text-field';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Subscription } from 'rxjs';

import type { QuickReplyDto, UploadDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { filterQuickReplies, quickReplyToken } from '@app/shared/team-tools/quick-reply-picker';
import { TeamToolsApiService } from '@app/shared/team-tools/team-tools-api.service';
import { ChatApiService } from './chat-api.service';
import { ComposerDrafts } from './composer-drafts';
import { formatBytes } from './chat-labels';
import { CHAT_MAX_MESSAGE_LENGTH, characterCount } from './chat-limits';

/** The chat's default attachment limit (`SUPPORT_CHAT_ATTACHMENT_MAX_BYTES`); the upload service enforces it. */
export const CHAT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** File picker hint matching the chat's default whitelist (the server decides from the bytes). */
export const CHAT_ATTACHMENT_ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.ppt,.pptx';

export interface ComposerSubmit {
  readonly content: string;
  readonly attachment: UploadDto | null;
}

/** The `/` quick-reply picker while open: the token's position and what follows the slash. */
interface PickerState {
  readonly start: number;
  readonly query: string;
}

type UploadState =
  { kind: 'idle' } | { kind: 'uploading'; name: string; percent: number } | { kind: 'ready'; upload: UploadDto } | { kind: 'error'; message: string };

/**
 * Writing a message: Enter sends, Shift+Enter adds a line, a counter against the configured maximum,
 * an attachment (picked, pasted or dropped) uploaded first (with progress) and sent as metadata. Drafts are kept per conversation,
 * so polling, new messages or switching conversations never lose what is being typed.
 *
 * With `quickReplies` (staff), typing `/` at the start or after a space opens a keyboard-driven picker of
 * quick replies filtered by what follows it (↑/↓, Enter or Tab inserts, Esc closes); the reply is inserted
 * with its variables already filled in by the server for this conversation, and stays editable.
 */
@Component({
  selector: 'app-message-composer',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTooltipModule, TextFieldModule],
  templateUrl: './message-composer.component.html',
  styleUrl: './message-composer.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageComposerComponent {
  private readonly api = inject(ChatApiService);
  private readonly teamTools = inject(TeamToolsApiService);
  private readonly drafts = inject(ComposerDrafts);
  private uploadSubscription: Subscription | null = null;

  readonly conversationId = input.required<string>();
  /** When set, the composer is disabled and this explains why. */
  readonly disabledReason = input<string | null>(null);
  readonly maxLength = input(CHAT_MAX_MESSAGE_LENGTH);
  /** Staff: the `/` quick-reply picker. */
  readonly quickReplies = input(false);

  readonly send = output<ComposerSubmit>();
  /** Every keystroke (the pane turns it into a throttled typing indicator). */
  readonly typing = output<void>();

  private readonly textarea = viewChild<ElementRef<HTMLTextAreaElement>>('textarea');
  private readonly autosize = viewChild(CdkTextareaAutosize);
  protected readonly text = signal('');
  protected readonly upload = signal<UploadState>({ kind: 'idle' });
  protected readonly accept = CHAT_ATTACHMENT_ACCEPT;
  protected readonly count = computed(() => characterCount(this.text()));
  protected readonly tooLong = computed(() => this.count() > this.maxLength());
  protected readonly nearLimit = computed(() => this.count() >= this.maxLength() * 0.9);
  protected readonly readyAttachment = computed(() => {
    const state = this.upload();
    return state.kind === 'ready' ? state.upload : null;
  });
  protected readonly canSend = computed(
    () => !this.disabledReason() && !this.tooLong() && this.upload().kind !== 'uploading' && (this.text().trim().length > 0 || this.readyAttachment() !== null),
  );
  protected readonly formatBytes = formatBytes;
  /** A file is being dragged over the composer (the drop zone is highlighted). */
  protected readonly dragging = signal(false);

  protected readonly picker = signal<PickerState | null>(null);
  /** The replies of the open conversation (loaded when the picker opens), or an error text. */
  protected readonly pickerReplies = signal<{ conversationId: string; replies: readonly QuickReplyDto[] } | { error: string } | null>(null);
  protected readonly pickerActive = signal(0);
  protected readonly pickerMatches = computed(() => {
    const picker = this.picker();
    const loaded = this.pickerReplies();
    if (!picker || !loaded || 'error' in loaded) return [];
    return filterQuickReplies(loaded.replies, picker.query);
  });
  protected readonly pickerError = computed(() => {
    const loaded = this.pickerReplies();
    return loaded && 'error' in loaded ? loaded.error : null;
  });
  private repliesSubscription: Subscription | null = null;

  constructor() {
    // Each conversation's draft comes back when it is shown again (saved on every input).
    effect(() => {
      const next = this.conversationId();
      untracked(() => {
        this.text.set(this.drafts.get(next));
        this.cancelUpload();
        this.closePicker();
        this.repliesSubscription?.unsubscribe();
        this.pickerReplies.set(null);
      });
    });
    this.refitWhenWidthChanges();
  }

  /**
   * cdkTextareaAutosize refits on input and window resizes only; when the column around the composer
   * narrows and widens again (a list or panel changing width), the text box would keep the height it
   * had while squeezed. Watching its width (not its height, which autosize itself changes) fixes that.
   */
  private refitWhenWidthChanges(): void {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const element = this.textarea()?.nativeElement;
      if (!element || typeof ResizeObserver === 'undefined') return;
      let width = element.clientWidth;
      const observer = new ResizeObserver(() => {
        if (element.clientWidth === width) return;
        width = element.clientWidth;
        this.autosize()?.resizeToFitContent(true);
      });
      observer.observe(element);
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  /** Puts the caret in the text box (after opening a conversation or sending). */
  focus(): void {
    this.textarea()?.nativeElement.focus();
  }

  protected onInput(event: Event): void {
    const textarea = event.target as HTMLTextAreaElement;
    this.text.set(textarea.value);
    this.drafts.set(this.conversationId(), this.text());
    this.typing.emit();
    this.updatePicker(textarea);
  }

  /** Opens the quick-reply picker as if `/` had been typed at the caret (the inbox's `/` shortcut). */
  openQuickReplies(): void {
    const textarea = this.textarea()?.nativeElement;
    if (!textarea || !this.quickReplies() || this.disabledReason()) return;
    textarea.focus();
    const caret = textarea.selectionStart ?? textarea.value.length;
    const before = textarea.value.slice(0, caret);
    const slash = before === '' || /\s$/.test(before) ? '/' : ' /';
    textarea.setRangeText(slash, caret, textarea.selectionEnd ?? caret, 'end');
    this.text.set(textarea.value);
    this.drafts.set(this.conversationId(), this.text());
    this.updatePicker(textarea);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (this.picker() && this.onPickerKey(event)) return;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.submit();
  }

  protected submit(): void {
    if (!this.canSend()) return;
    this.send.emit({ content: this.text(), attachment: this.readyAttachment() });
    this.text.set('');
    this.drafts.set(this.conversationId(), '');
    this.upload.set({ kind: 'idle' });
    this.focus();
  }

  /** The picker's keys; true when the key was the picker's. */
  private onPickerKey(event: KeyboardEvent): boolean {
    if (event.isComposing) return false;
    const matches = this.pickerMatches();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (matches.length === 0) return false;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.pickerActive.update((index) => (index + step + matches.length) % matches.length);
        break;
      }
      case 'Enter':
      case 'Tab': {
        const chosen = matches[this.pickerActive()];
        if (!chosen || event.shiftKey) return false;
        this.insertQuickReply(chosen);
        break;
      }
      case 'Escape':
        // The picker only: the page's other Escape handlers (dialogs, narrow layout) stay untouched.
        event.stopPropagation();
        this.closePicker();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  /** Replaces the `/query` token with the reply's filled-in text and puts the caret after it. */
  protected insertQuickReply(reply: QuickReplyDto): void {
    const picker = this.picker();
    const textarea = this.textarea()?.nativeElement;
    if (!picker || !textarea) return;
    const inserted = reply.rendered_body ?? reply.body;
    const end = picker.start + 1 + picker.query.length;
    textarea.setRangeText(inserted, picker.start, end, 'end');
    this.text.set(textarea.value);
    this.drafts.set(this.conversationId(), this.text());
    this.closePicker();
    textarea.focus();
    this.autosize()?.resizeToFitContent(true);
  }

  protected closePicker(): void {
    this.picker.set(null);
    this.pickerActive.set(0);
  }

  private updatePicker(textarea: HTMLTextAreaElement): void {
    const token = this.quickReplies() ? quickReplyToken(textarea.value, textarea.selectionStart ?? textarea.value.length) : null;
    if (!token) {
      this.closePicker();
      return;
    }
    if (token.query !== this.picker()?.query) this.pickerActive.set(0);
    const wasOpen = this.picker() !== null;
    this.picker.set(token);
    if (!wasOpen) this.loadQuickReplies();
  }

  /** Each time the picker opens: the replies may have changed on the management page or another tab. */
  private loadQuickReplies(): void {
    const conversationId = this.conversationId();
    this.repliesSubscription?.unsubscribe();
    this.repliesSubscription = this.teamTools.quickReplies({ conversation_id: conversationId }).subscribe({
      next: (list) => this.pickerReplies.set({ conversationId, replies: list.quick_replies }),
      error: (error: unknown) => this.pickerReplies.set({ error: apiErrorMessage(error, 'No se pudieron cargar las respuestas rápidas.') }),
    });
  }

  protected onFileChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.uploadFile(file);
  }

  /** Pasting an image (a screenshot from the clipboard) attaches it like the file picker does. */
  protected onPaste(event: ClipboardEvent): void {
    const file = firstFile(event.clipboardData);
    if (!file || !this.canAttach()) return;
    event.preventDefault();
    this.uploadFile(file);
  }

  protected onDragOver(event: DragEvent): void {
    if (!hasFiles(event.dataTransfer) || !this.canAttach()) return;
    // Without preventDefault the browser refuses the drop (and would open the file instead).
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging.set(true);
  }

  protected onDragLeave(event: DragEvent): void {
    // Leaving for a child of the composer is not leaving the composer.
    const next = event.relatedTarget as Node | null;
    if (!next || !(event.currentTarget as Node).contains(next)) this.dragging.set(false);
  }

  /** A file dropped on the composer: the same upload, checks and limits as the file picker. */
  protected onDrop(event: DragEvent): void {
    this.dragging.set(false);
    const file = firstFile(event.dataTransfer);
    if (!file) return;
    event.preventDefault();
    if (this.canAttach()) this.uploadFile(file);
  }

  private canAttach(): boolean {
    return !this.disabledReason() && this.upload().kind !== 'uploading';
  }

  private uploadFile(file: File): void {
    if (file.size > CHAT_ATTACHMENT_MAX_BYTES) {
      this.upload.set({ kind: 'error', message: `El archivo supera el máximo de ${formatBytes(CHAT_ATTACHMENT_MAX_BYTES)}.` });
      return;
    }
    this.cancelUpload();
    this.upload.set({ kind: 'uploading', name: file.name, percent: 0 });
    this.uploadSubscription = this.api.upload(file).subscribe({
      next: (event) => {
        if (event.kind === 'progress') this.upload.set({ kind: 'uploading', name: file.name, percent: event.percent });
        else this.upload.set({ kind: 'ready', upload: event.upload });
      },
      error: (error: unknown) => this.upload.set({ kind: 'error', message: apiErrorMessage(error, 'No se pudo subir el archivo.') }),
    });
  }

  protected cancelUpload(): void {
    this.uploadSubscription?.unsubscribe();
    this.uploadSubscription = null;
    this.upload.set({ kind: 'idle' });
  }
}

/** The first file in a paste or drop (only one attachment per message). */
function firstFile(data: DataTransfer | null): File | null {
  if (!data) return null;
  if (data.files.length > 0) return data.files[0];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === 'file') return item.getAsFile();
  }
  return null;
}

function hasFiles(data: DataTransfer | null): boolean {
  return !!data && Array.from(data.types ?? []).includes('Files');
}
