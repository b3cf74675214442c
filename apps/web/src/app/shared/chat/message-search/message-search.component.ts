import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { MessageSearchResultDto } from '@app/api/models';
import { subjectOf } from '../chat-labels';
import { MessageSearchStore } from './message-search.store';

/**
 * "Buscar en los mensajes": a search box and the matching conversations, each with the snippet of its
 * newest matching message (matches emphasised with `<mark>`, built from the API's segments as text,
 * never as HTML). Choosing one emits the conversation and the message's `seq` to open it there.
 */
@Component({
  selector: 'app-message-search',
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressSpinnerModule],
  template: `
    <div class="message-search" role="search" aria-label="Buscar en los mensajes">
      <mat-form-field class="field" subscriptSizing="dynamic">
        <mat-icon matPrefix svgIcon="search" aria-hidden="true" />
        <mat-label>Buscar en los mensajes</mat-label>
        <input
          matInput
          type="search"
          data-testid="message-search"
          autocomplete="off"
          [value]="store.query()"
          (input)="store.setQuery($any($event.target).value)"
          (keydown.escape)="store.clear()"
        />
        @if (store.query()) {
          <button matSuffix mat-icon-button type="button" aria-label="Borrar búsqueda" (click)="store.clear()">
            <mat-icon svgIcon="close" aria-hidden="true" />
          </button>
        }
      </mat-form-field>
      @if (store.loading()) {
        <mat-progress-spinner mode="indeterminate" diameter="20" aria-label="Buscando" />
      }
      <p class="status" aria-live="polite" data-testid="message-search-status">
        @if (store.error(); as error) {
          {{ error }}
        } @else if (store.searched() !== null && !store.loading()) {
          {{
            store.results().length === 0
              ? 'Ningún mensaje coincide.'
              : store.results().length === 1
                ? '1 conversación con mensajes que coinciden'
                : store.results().length + ' conversaciones con mensajes que coinciden'
          }}
        }
      </p>
      @if (store.results().length > 0) {
        <ul class="results" data-testid="message-search-results">
          @for (result of store.results(); track result.conversation.id) {
            <li>
              <button
                type="button"
                class="result"
                data-testid="message-search-result"
                [attr.data-conversation]="result.conversation.id"
                (click)="choose(result)"
              >
                <span class="title">
                  @let title = (showCandidate() ? result.conversation.candidate.full_name + ' · ' : '') + subjectOf(result.conversation);
                  <span class="subject" [title]="title">{{ title }}</span>
                  <time [attr.datetime]="result.message.created_at">{{ result.message.created_at | date: 'short' }}</time>
                </span>
                <span class="snippet">
                  <span class="sender">{{ result.message.sender.full_name }}:</span>
                  <!-- Segments side by side with no whitespace between them: the text is the message's own. -->
                  <span data-testid="message-search-snippet">
                    @for (segment of result.snippet; track $index) {
                      @if (segment.match) {
                        <mark>{{ segment.text }}</mark>
                      } @else {
                        <span>{{ segment.text }}</span>
                      }
                    }
                  </span>
                </span>
              </button>
            </li>
          }
        </ul>
      }
    </div>
  `,
  styles: `
    .message-search {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .field {
      width: 100%;
    }
    .status {
      margin: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .status:empty {
      display: none;
    }
    .results {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 40vh;
      overflow-y: auto;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
    }
    .result {
      display: flex;
      flex-direction: column;
      gap: 2px;
      width: 100%;
      padding: 8px 12px;
      border: 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      background: none;
      color: inherit;
      font: var(--mat-sys-body-medium);
      text-align: start;
      cursor: pointer;
    }
    .result:hover,
    .result:focus-visible {
      background: var(--mat-sys-surface-container-high);
    }
    .title {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      font-weight: 500;
    }
    /* Two lines at most, so a phone shows several results; the title attribute has the rest. */
    .subject {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
      overflow: hidden;
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .title time {
      flex: none;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .snippet {
      color: var(--mat-sys-on-surface-variant);
      overflow-wrap: anywhere;
    }
    .sender {
      margin-inline-end: 4px;
    }
    mark {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
      border-radius: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageSearchComponent {
  protected readonly store = inject(MessageSearchStore);
  protected readonly subjectOf = subjectOf;
  /** Staff: each result names its candidate. */
  readonly showCandidate = input(false);
  /** A result was chosen: open its conversation at the message. */
  readonly selected = output<{ conversationId: string; seq: number }>();

  protected choose(result: MessageSearchResultDto): void {
    this.selected.emit({ conversationId: result.conversation.id, seq: result.message.seq });
  }
}
