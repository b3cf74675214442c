import { registerLocaleData } from '@angular/common';
import { provideHttpClient, withInterceptors, withXhr } from '@angular/common/http';
import localeEsMx from '@angular/common/locales/es-MX';
import { ApplicationConfig, LOCALE_ID, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { provideRouter, TitleStrategy, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';

import { routes } from './app.routes';
import { authInterceptor } from './core/http/auth.interceptor';
import { conditionalRequestInterceptor } from './core/http/conditional-request';
import { unauthorizedInterceptor } from './core/http/unauthorized.interceptor';
import { provideAppIcons } from './core/icons/app-icons';
import { AppTitleStrategy } from './core/layout/app-title-strategy';

registerLocaleData(localeEsMx, 'es-MX');

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Zoneless is Angular's default since v21; stated here so nobody adds zone.js back by accident.
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    // Order matters: the token is added first, then a 401 on that request ends the session.
    // XHR backend: upload progress events (fetch cannot report them).
    provideHttpClient(withXhr(), withInterceptors([authInterceptor, conditionalRequestInterceptor, unauthorizedInterceptor])),
    { provide: TitleStrategy, useClass: AppTitleStrategy },
    { provide: LOCALE_ID, useValue: 'es-MX' },
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { appearance: 'outline' } },
    provideAppIcons(),
  ],
};
