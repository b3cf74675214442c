import { inject, Injectable } from '@angular/core';
import { Title } from '@angular/platform-browser';

/**
 * The browser tab's title: the page's own title (set by `AppTitleStrategy` on navigation) with the
 * unread count in front, "(2) Chat con soporte · Soporte al candidato", so a tab in the background
 * shows that someone wrote.
 */
@Injectable({ providedIn: 'root' })
export class TabTitleService {
  private readonly title = inject(Title);
  private base = this.title.getTitle();
  private count = 0;

  setBase(title: string): void {
    this.base = title;
    this.render();
  }

  setCount(count: number): void {
    this.count = Math.max(0, Math.floor(count));
    this.render();
  }

  private render(): void {
    this.title.setTitle(this.count > 0 ? `(${this.count > 99 ? '99+' : this.count}) ${this.base}` : this.base);
  }
}
