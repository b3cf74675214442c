import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A small pill with the number of unread messages; renders nothing at zero. */
@Component({
  selector: 'app-unread-badge',
  template: `
    @if (count() > 0) {
      <span class="unread-badge" [attr.aria-label]="label()">{{ display() }}</span>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
    }
    .unread-badge {
      min-width: 20px;
      height: 20px;
      padding: 0 6px;
      box-sizing: border-box;
      border-radius: 10px;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      font: var(--mat-sys-label-small);
      font-weight: 600;
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UnreadBadgeComponent {
  readonly count = input.required<number>();

  protected readonly display = computed(() => (this.count() > 99 ? '99+' : String(this.count())));
  protected readonly label = computed(() => (this.count() === 1 ? '1 mensaje sin leer' : `${this.count()} mensajes sin leer`));
}
