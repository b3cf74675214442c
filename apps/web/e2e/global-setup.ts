import { existsSync } from 'node:fs';

import { CHROMIUM, startServer } from './e2e-server';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`\n[e2e] SKIPPED: Chromium not found at ${CHROMIUM} (install Debian's "chromium" or set CHROMIUM_PATH). The browser tests are skipped.\n`);
    return;
  }
  const state = await startServer();
  console.log(`\n[e2e] built app listening on ${state.baseUrl}`);
}
