import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';

import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, describeValues } from './audit-labels';
import { AuditStore } from './audit.store';

/**
 * `/support/auditoria`: the audit trail of staff actions for supervisors and admin (issue 18). Read
 * only: filter by user, action, conversation and dates; export what the filters match as CSV.
 */
@Component({
  selector: 'app-audit-page',
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressSpinnerModule, MatSelectModule, RouterLink],
  providers: [AuditStore],
  template: `
    <section class="audit-page" aria-labelledby="audit-title">
      <header class="audit-header">
        <h1 id="audit-title">Auditoría</h1>
        <p class="hint">Acciones del equipo de soporte, más recientes primero. Las entradas no se pueden modificar ni borrar.</p>
      </header>
      <form class="filters" role="search" aria-label="Filtrar la bitácora" (submit)="$event.preventDefault()">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Usuario</mat-label>
          <mat-select
            data-testid="audit-filter-actor"
            [value]="store.filters().actorUserId"
            (selectionChange)="store.setFilters({ actorUserId: $event.value })"
          >
            <mat-option value="">Todos</mat-option>
            @for (actor of store.actors(); track actor.id) {
              <mat-option [value]="actor.id">{{ actor.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Acción</mat-label>
          <mat-select data-testid="audit-filter-action" [value]="store.filters().action" (selectionChange)="store.setFilters({ action: $event.value })">
            <mat-option value="">Todas</mat-option>
            @for (action of actions; track action) {
              <mat-option [value]="action">{{ labels[action] }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Conversación (ID)</mat-label>
          <input
            matInput
            data-testid="audit-filter-conversation"
            [value]="store.filters().conversationId"
            (change)="store.setFilters({ conversationId: $any($event.target).value })"
          />
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Desde</mat-label>
          <input
            matInput
            type="date"
            data-testid="audit-filter-from"
            [value]="store.filters().fromDate"
            (change)="store.setFilters({ fromDate: $any($event.target).value })"
          />
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Hasta</mat-label>
          <input
            matInput
            type="date"
            data-testid="audit-filter-to"
            [value]="store.filters().toDate"
            (change)="store.setFilters({ toDate: $any($event.target).value })"
          />
        </mat-form-field>
        <div class="filter-actions">
          <button mat-button type="button" (click)="store.clearFilters()">Quitar filtros</button>
          <button mat-flat-button type="button" data-testid="audit-export" [disabled]="store.exporting()" (click)="exportCsv()">
            <mat-icon svgIcon="download" aria-hidden="true" />
            Exportar CSV
          </button>
        </div>
      </form>
      @if (store.error(); as error) {
        <p class="error" role="alert">{{ error }}</p>
      }
      <div class="table-scroll">
        <table class="audit-table" data-testid="audit-table">
          <caption class="cdk-visually-hidden">
            Bitácora de auditoría
          </caption>
          <thead>
            <tr>
              <th scope="col">Fecha</th>
              <th scope="col">Usuario</th>
              <th scope="col">Acción</th>
              <th scope="col">Conversación</th>
              <th scope="col">Antes</th>
              <th scope="col">Después</th>
            </tr>
          </thead>
          <tbody>
            @for (event of store.events(); track event.id) {
              <tr data-testid="audit-row">
                <td>{{ event.occurred_at | date: 'medium' }}</td>
                <td>
                  {{ event.actor_name }} <span class="role">({{ event.actor_role }})</span>
                </td>
                <td data-testid="audit-action">{{ labels[event.action] }}</td>
                <td>
                  @if (event.conversation_id; as id) {
                    <a [routerLink]="['/support/communication']" [queryParams]="{ conversacion: id }">{{ id.slice(0, 8) }}</a>
                  } @else {
                    —
                  }
                </td>
                <td>{{ describe(event.before) }}</td>
                <td>{{ describe(event.after) }}</td>
              </tr>
            } @empty {
              @if (!store.loading()) {
                <tr>
                  <td colspan="6" class="empty">No hay acciones con estos filtros.</td>
                </tr>
              }
            }
          </tbody>
        </table>
      </div>
      <div class="more">
        @if (store.loading()) {
          <mat-spinner diameter="24" aria-label="Cargando bitácora" />
        } @else if (store.nextCursor()) {
          <button mat-stroked-button type="button" data-testid="audit-more" (click)="store.loadMore()">Cargar más</button>
        }
      </div>
    </section>
  `,
  styles: `
    :host {
      display: block;
      height: 100%;
      overflow: auto;
    }
    .audit-page {
      padding: 16px 24px;
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    h1 {
      margin: 0;
      font: var(--mat-sys-headline-small);
    }
    .hint {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 12px;
      align-items: center;
    }
    .filter-actions {
      display: flex;
      gap: 8px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0;
    }
    .table-scroll {
      overflow-x: auto;
    }
    .audit-table {
      width: 100%;
      border-collapse: collapse;
      font: var(--mat-sys-body-medium);
    }
    .audit-table th,
    .audit-table td {
      text-align: left;
      padding: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    .role,
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    .more {
      display: flex;
      justify-content: center;
      min-height: 40px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPageComponent {
  protected readonly store = inject(AuditStore);
  protected readonly labels = AUDIT_ACTION_LABELS;
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly describe = describeValues;
  private readonly document = inject(DOCUMENT);

  constructor() {
    this.store.clearFilters();
  }

  protected exportCsv(): void {
    this.store.exportCsv((csv) => {
      // The byte-order mark tells spreadsheet programs the file is UTF-8 (the browser drops the server's when decoding).
      const blob = new Blob([csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const link = this.document.createElement('a');
      link.href = url;
      link.download = 'auditoria-chat-soporte.csv';
      this.document.body.appendChild(link);
      link.click();
      link.remove();
      // Revoked later: the browser starts the download from the URL after this task.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }
}
