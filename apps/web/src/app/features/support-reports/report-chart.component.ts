import { ChangeDetectionStrategy, Component, ElementRef, OnDestroy, afterRenderEffect, input, viewChild } from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

/** A tiny wrapper over Chart.js: one canvas, redrawn when `config` changes. The page shows a table beside every chart. */
@Component({
  selector: 'app-report-chart',
  template: `<div class="chart-box"><canvas #canvas role="img" [attr.aria-label]="label()"></canvas></div>`,
  styles: `
    .chart-box {
      position: relative;
      height: 240px;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportChartComponent implements OnDestroy {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input.required<string>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;

  constructor() {
    afterRenderEffect(() => {
      const config = this.config();
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, {
        ...config,
        options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
      });
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
