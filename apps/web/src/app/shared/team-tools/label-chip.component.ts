import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { LabelDto } from '@app/api/models';

/** A label as a small chip: its colour as a dot (the text keeps the theme's contrast) and its name. */
@Component({
  selector: 'app-label-chip',
  template: `<span class="dot" aria-hidden="true" [style.background]="label().color"></span>{{ label().name }}`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 0 8px;
      border-radius: 999px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface-container-low);
      color: var(--mat-sys-on-surface);
      font: var(--mat-sys-label-small);
      line-height: 20px;
      white-space: nowrap;
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .dot {
      flex: none;
      width: 8px;
      height: 8px;
      border-radius: 50%;
    }
  `,
  host: { 'data-testid': 'label-chip', '[attr.data-label-id]': 'label().id' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabelChipComponent {
  readonly label = input.required<LabelDto>();
}
