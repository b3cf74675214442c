import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** Initials of a person's name in a circle; decorative (the name is always written next to it). */
@Component({
  selector: 'app-user-avatar',
  template: `{{ initials() }}`,
  host: { 'aria-hidden': 'true' },
  styles: `
    :host {
      width: 32px;
      height: 32px;
      border-radius: 50%;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      flex: none;
      font: var(--mat-sys-label-large);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserAvatarComponent {
  readonly name = input.required<string>();

  protected readonly initials = computed(() => initialsOf(this.name()));
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => word.charAt(0).toLocaleUpperCase('es-MX')).join('') || '?';
}
