import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { LabelDto } from '@app/api/models';

/** A label as a small chip: its colour as a dot (the text keeps the theme's contrast) and its name. */
@Component({
  selector: 'app-label-chip',
  // The name in its own box: text-overflow does not reach the bare text of a flex container.
  template: `<span class="dot" aria-hidden="true" [style.background]="label().color"></span
    ><span class="name" [title]="label().name">{{ label().name }}</span>`,
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
      max-width: min(100%, 16rem);
      min-width: 0;
    }
    .name {
      min-width: 0;
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
