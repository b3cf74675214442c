import { inject, Injectable } from '@angular/core';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';

import { TabTitleService } from '../notifications/tab-title.service';

export const APP_NAME = 'Soporte al candidato';

/** Browser tab titles: "<page> · Soporte al candidato" (from each route's `title`), after any unread count. */
@Injectable()
export class AppTitleStrategy extends TitleStrategy {
  private readonly tabTitle = inject(TabTitleService);

  override updateTitle(snapshot: RouterStateSnapshot): void {
    const pageTitle = this.buildTitle(snapshot);
    this.tabTitle.setBase(pageTitle ? `${pageTitle} · ${APP_NAME}` : APP_NAME);
  }
}
