import { InjectionToken } from '@angular/core';

/** An account the sign-in page offers in the demo. */
export interface DemoAccount {
  readonly username: string;
  readonly description: string;
}

/** Tunables of the web app. Override with `{ provide: APP_SETTINGS, useValue: {...} }`. */
export interface AppSettings {
  /** How often lists, the open conversation and unread badges are refreshed (the spec asks 5-10 s). */
  readonly pollIntervalMs: number;
  /** Accounts listed on the sign-in page; an empty list hides the section (outside the demo). */
  readonly demoAccounts: readonly DemoAccount[];
  /** Password shared by the demo accounts, shown next to them. */
  readonly demoPassword: string | null;
}

export const DEFAULT_APP_SETTINGS: AppSettings = {
  pollIntervalMs: 8_000,
  demoAccounts: [
    { username: 'candidato1', description: 'Candidato' },
    { username: 'candidato2', description: 'Candidato' },
    { username: 'soporte1', description: 'Soporte' },
    { username: 'admin1', description: 'Administración' },
    { username: 'developer1', description: 'Desarrollo' },
    { username: 'gerente1', description: 'Supervisión (solo lectura y auditoría)' },
  ],
  demoPassword: 'Demo1234!',
};

/**
 * `localStorage` key that overrides `pollIntervalMs` (milliseconds) in this browser: lets a browser test
 * (or someone debugging) prove that live updates come from the event stream and not from polling.
 */
export const POLL_INTERVAL_OVERRIDE_KEY = 'support-chat.pollIntervalMs';

export function readPollIntervalOverride(storage: Pick<Storage, 'getItem'> | null | undefined): number | null {
  try {
    const value = Number(storage?.getItem(POLL_INTERVAL_OVERRIDE_KEY) ?? NaN);
    return Number.isFinite(value) && value >= 1000 ? value : null;
  } catch {
    return null;
  }
}

export const APP_SETTINGS = new InjectionToken<AppSettings>('APP_SETTINGS', {
  providedIn: 'root',
  factory: () => {
    const override = readPollIntervalOverride(typeof localStorage === 'undefined' ? null : localStorage);
    return override === null ? DEFAULT_APP_SETTINGS : { ...DEFAULT_APP_SETTINGS, pollIntervalMs: override };
  },
});
