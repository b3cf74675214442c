import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DOCUMENT, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import type { ChartConfiguration } from 'chart.js';

import { ReportChartComponent } from './report-chart.component';
import { ReportGroupBy, ReportsStore } from './reports.store';

/**
 * `/support/reportes` (issue 18): for a period in America/Mexico_City, the summary per agent, label or
 * overall, the volume per day, the first-response distribution and the CSAT trend (charts with a table
 * beside each), the live panel of agents, and CSV export of the tables.
 */
@Component({
  selector: 'app-reports-page',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule, MatSelectModule, ReportChartComponent],
  providers: [ReportsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="reports-page" aria-labelledby="reports-title">
      <header>
        <h1 id="reports-title">Reportes</h1>
        <p class="hint">Fechas en la zona horaria de la Ciudad de México. Tiempos en minutos (reloj y horario hábil).</p>
      </header>
      <form class="filters" aria-label="Periodo del reporte" (submit)="$event.preventDefault()">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Desde</mat-label>
          <input matInput type="date" data-testid="report-from" [value]="store.period().from" (change)="store.load({ from: $any($event.target).value })" />
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Hasta</mat-label>
          <input matInput type="date" data-testid="report-to" [value]="store.period().to" (change)="store.load({ to: $any($event.target).value })" />
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Agrupar por</mat-label>
          <mat-select data-testid="report-group" [value]="store.period().groupBy" (selectionChange)="store.load({ groupBy: $any($event.value) })">
            @for (group of groups; track group.value) {
              <mat-option [value]="group.value">{{ group.label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </form>
      @if (store.error(); as error) {
        <p class="error" role="alert">{{ error }}</p>
      }
      @if (store.loading()) {
        <mat-spinner diameter="32" aria-label="Cargando reportes" />
      }

      @if (store.summary(); as summary) {
        <section class="card" aria-labelledby="summary-title">
          <div class="card-header">
            <h2 id="summary-title">Resumen</h2>
            <button mat-stroked-button type="button" data-testid="export-summary" [disabled]="store.exporting()" (click)="exportCsv('summary')">
              Exportar CSV
            </button>
          </div>
          <div class="table-scroll">
            <table data-testid="summary-table">
              <thead>
                <tr>
                  <th scope="col">Grupo</th>
                  <th scope="col">Abiertas</th>
                  <th scope="col">Resueltas</th>
                  <th scope="col">1.ª respuesta mediana / p90</th>
                  <th scope="col">1.ª respuesta hábil mediana / p90</th>
                  <th scope="col">Resolución mediana / p90</th>
                  <th scope="col">Resolución hábil mediana / p90</th>
                  <th scope="col">CSAT</th>
                  <th scope="col">Mensajes por conversación</th>
                  <th scope="col">Pendientes (esperando)</th>
                  <th scope="col">Espera más antigua</th>
                </tr>
              </thead>
              <tbody>
                @for (row of summary.rows; track row.key) {
                  <tr>
                    <th scope="row">{{ row.name }}</th>
                    <td>{{ row.opened }}</td>
                    <td>{{ row.resolved }}</td>
                    <td>{{ row.first_response.median_minutes ?? '—' }} / {{ row.first_response.p90_minutes ?? '—' }}</td>
                    <td>{{ row.first_response.business_median_minutes ?? '—' }} / {{ row.first_response.business_p90_minutes ?? '—' }}</td>
                    <td>{{ row.resolution.median_minutes ?? '—' }} / {{ row.resolution.p90_minutes ?? '—' }}</td>
                    <td>{{ row.resolution.business_median_minutes ?? '—' }} / {{ row.resolution.business_p90_minutes ?? '—' }}</td>
                    <td>{{ row.csat.average ?? '—' }} ({{ row.csat.count }})</td>
                    <td>{{ row.messages_per_conversation ?? '—' }}</td>
                    <td>{{ row.backlog_open }} ({{ row.backlog_waiting }})</td>
                    <td>{{ row.oldest_waiting_since ? (row.oldest_waiting_since | date: 'short' : '-0600') : '—' }}</td>
                  </tr>
                } @empty {
                  <tr>
                    <td colspan="11">Sin datos en el periodo.</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>
      }

      @if (store.volume(); as volume) {
        <div class="charts">
          <section class="card" aria-labelledby="volume-title">
            <div class="card-header">
              <h2 id="volume-title">Volumen por día</h2>
              <button mat-stroked-button type="button" data-testid="export-volume" [disabled]="store.exporting()" (click)="exportCsv('volume')">
                Exportar CSV
              </button>
            </div>
            <app-report-chart data-testid="chart-volume" label="Conversaciones abiertas y resueltas por día" [config]="volumeChart()" />
            <details>
              <summary>Ver tabla</summary>
              <div class="table-scroll">
                <table data-testid="volume-table">
                  <thead>
                    <tr>
                      <th scope="col">Día</th>
                      <th scope="col">Abiertas</th>
                      <th scope="col">Resueltas</th>
                      <th scope="col">CSAT</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (day of volume.days; track day.date) {
                      <tr>
                        <th scope="row">{{ day.date }}</th>
                        <td>{{ day.opened }}</td>
                        <td>{{ day.resolved }}</td>
                        <td>{{ day.csat_average ?? '—' }}</td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            </details>
          </section>
          <section class="card" aria-labelledby="response-title">
            <h2 id="response-title">Distribución de la primera respuesta</h2>
            <app-report-chart data-testid="chart-response" label="Conversaciones por tiempo de primera respuesta" [config]="responseChart()" />
            <table>
              <tbody>
                @for (bucket of volume.response_time_distribution; track bucket.key) {
                  <tr>
                    <th scope="row">{{ bucket.label }}</th>
                    <td>{{ bucket.count }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="csat-title">
            <h2 id="csat-title">Tendencia de CSAT</h2>
            <app-report-chart data-testid="chart-csat" label="CSAT promedio por día" [config]="csatChart()" />
          </section>
        </div>
      }

      @if (store.live(); as live) {
        <section class="card" aria-labelledby="live-title">
          <h2 id="live-title">Agentes ahora</h2>
          <p>Sin asignar abiertas: {{ live.unassigned_open }}</p>
          <div class="table-scroll">
            <table data-testid="live-table">
              <thead>
                <tr>
                  <th scope="col">Agente</th>
                  <th scope="col">Estado</th>
                  <th scope="col">Abiertas</th>
                  <th scope="col">Esperando</th>
                </tr>
              </thead>
              <tbody>
                @for (agent of live.agents; track agent.id) {
                  <tr>
                    <th scope="row">{{ agent.full_name }}</th>
                    <td>{{ agent.online ? 'En línea' : 'Desconectado' }}</td>
                    <td>{{ agent.open_conversations | number }}</td>
                    <td>{{ agent.waiting_conversations | number }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>
      }
    </section>
  `,
  styles: `
    .reports-page {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 16px;
      min-width: 0;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr));
      gap: 16px;
    }
    .card {
      border: 1px solid var(--mat-sys-outline-variant, #ccc);
      border-radius: 12px;
      padding: 12px;
      min-width: 0;
    }
    .card-header {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
    }
    .table-scroll {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 4px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd);
      white-space: nowrap;
    }
    /* Long agent or label names wrap, so the figures beside them stay in view. */
    tbody th {
      white-space: normal;
      min-width: 10rem;
      max-width: 18rem;
      overflow-wrap: anywhere;
    }
    .error {
      color: var(--mat-sys-error, #b00020);
    }
    .hint {
      color: var(--mat-sys-on-surface-variant, #555);
    }
  `,
})
export class ReportsPageComponent {
  protected readonly store = inject(ReportsStore);
  private readonly document = inject(DOCUMENT);
  protected readonly groups: { value: ReportGroupBy; label: string }[] = [
    { value: 'agent', label: 'Agente' },
    { value: 'label', label: 'Etiqueta' },
    { value: 'overall', label: 'Total' },
  ];

  protected readonly volumeChart = computed<ChartConfiguration>(() => {
    const days = this.store.volume()?.days ?? [];
    return {
      type: 'bar',
      data: {
        labels: days.map((day) => day.date.slice(5)),
        datasets: [
          { label: 'Abiertas', data: days.map((day) => day.opened), backgroundColor: '#1e88e5' },
          { label: 'Resueltas', data: days.map((day) => day.resolved), backgroundColor: '#43a047' },
        ],
      },
    };
  });

  protected readonly responseChart = computed<ChartConfiguration>(() => {
    const buckets = this.store.volume()?.response_time_distribution ?? [];
    return {
      type: 'bar',
      data: {
        labels: buckets.map((bucket) => bucket.label),
        datasets: [{ label: 'Conversaciones', data: buckets.map((bucket) => bucket.count), backgroundColor: '#8e24aa' }],
      },
    };
  });

  protected readonly csatChart = computed<ChartConfiguration>(() => {
    const days = this.store.volume()?.days ?? [];
    return {
      type: 'line',
      data: {
        labels: days.map((day) => day.date.slice(5)),
        datasets: [{ label: 'CSAT promedio', data: days.map((day) => day.csat_average), borderColor: '#fb8c00', spanGaps: true }],
      },
      options: { scales: { y: { min: 1, max: 5 } } },
    };
  });

  constructor() {
    this.store.load();
  }

  protected exportCsv(table: 'summary' | 'volume'): void {
    this.store.exportCsv(table, (csv, filename) => {
      const blob = new Blob([csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const link = this.document.createElement('a');
      link.href = url;
      link.download = filename;
      this.document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }
}
