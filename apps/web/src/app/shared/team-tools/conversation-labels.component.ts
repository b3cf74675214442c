import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule, MatMenuTrigger } from '@angular/material/menu';

import type { LabelDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { LabelChipComponent } from './label-chip.component';
import { LabelsStore } from './labels.store';
import { TeamToolsApiService } from './team-tools-api.service';

/**
 * A conversation's labels (staff only): the chips, and a menu that puts labels on it and takes them
 * off (opened with the button or the inbox's `l` shortcut). Reports the new list to the page's stores.
 */
@Component({
  selector: 'app-conversation-labels',
  imports: [LabelChipComponent, MatButtonModule, MatIconModule, MatMenuModule],
  template: `
    <div class="labels" data-testid="conversation-labels">
      @if (labels().length > 0) {
        <!-- One row that scrolls sideways: many labels must not eat the timeline's height. -->
        <div class="chips" tabindex="0" role="group" aria-label="Etiquetas de la conversación">
          @for (label of labels(); track label.id) {
            <app-label-chip [label]="label" />
          }
        </div>
      }
      <button
        mat-button
        type="button"
        class="edit"
        data-testid="labels-menu-button"
        [matMenuTriggerFor]="menu"
        (menuOpened)="catalogue.load()"
        [attr.aria-label]="labels().length === 0 ? 'Etiquetar la conversación' : 'Etiquetas de la conversación'"
      >
        <mat-icon svgIcon="label" aria-hidden="true" />
        {{ labels().length === 0 ? 'Etiquetar' : 'Etiquetas' }}
      </button>
      @if (error(); as message) {
        <span class="error" role="alert">{{ message }}</span>
      }
    </div>
    <mat-menu #menu="matMenu" xPosition="before">
      @for (label of catalogue.labels(); track label.id) {
        <button
          mat-menu-item
          type="button"
          role="menuitemcheckbox"
          data-testid="label-option"
          [attr.aria-checked]="has(label)"
          [disabled]="busy()"
          (click)="$event.stopPropagation(); toggle(label)"
        >
          <mat-icon [svgIcon]="has(label) ? 'check-box' : 'check-box-outline'" aria-hidden="true" />
          <app-label-chip [label]="label" />
        </button>
      } @empty {
        <p class="none">{{ catalogue.loaded() ? 'Aún no hay etiquetas. Un administrador las crea en «Respuestas rápidas».' : 'Cargando…' }}</p>
      }
    </mat-menu>
  `,
  styles: `
    /* A row of its own in the header that may shrink: the chips scroll, the header keeps its width. */
    :host {
      display: block;
      flex: 1 1 100%;
      min-width: 0;
    }
    .labels {
      display: flex;
      align-items: center;
      gap: 4px 6px;
      min-width: 0;
    }
    .chips {
      display: flex;
      gap: 6px;
      min-width: 0;
      overflow-x: auto;
      scrollbar-width: thin;
      padding-block: 2px;
    }
    app-label-chip {
      flex: none;
    }
    .edit {
      flex: none;
      min-width: 0;
      padding: 0 8px;
      height: 28px;
    }
    .error {
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    .none {
      margin: 0;
      padding: 8px 16px;
      max-width: 260px;
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationLabelsComponent {
  private readonly api = inject(TeamToolsApiService);
  protected readonly catalogue = inject(LabelsStore);

  readonly conversationId = input.required<string>();
  readonly labels = input<readonly LabelDto[]>([]);
  readonly labelsChange = output<LabelDto[]>();

  private readonly trigger = viewChild(MatMenuTrigger);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly ids = computed(() => new Set(this.labels().map((label) => label.id)));

  /** Opens the label menu (the `l` shortcut). */
  open(): void {
    this.trigger()?.openMenu();
  }

  protected has(label: LabelDto): boolean {
    return this.ids().has(label.id);
  }

  protected toggle(label: LabelDto): void {
    this.busy.set(true);
    this.error.set(null);
    this.api.setLabel(this.conversationId(), label.id, !this.has(label)).subscribe({
      next: (labels) => {
        this.busy.set(false);
        this.labelsChange.emit(labels);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(apiErrorMessage(error, 'No se pudo cambiar la etiqueta.'));
      },
    });
  }
}
