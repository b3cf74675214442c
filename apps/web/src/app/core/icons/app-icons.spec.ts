import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { APP_ICON_NAMES } from './app-icons';

/** Every `.ts` and `.html` file of the app, generated API client excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'api' ? [] : sources(path);
    return /\.(ts|html)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The app's source folder (the web tests run as ES modules: no `__dirname`; jest runs from the root or apps/web). */
const APP_DIR = [join(process.cwd(), 'apps', 'web', 'src', 'app'), join(process.cwd(), 'src', 'app')].find((dir) => existsSync(dir))!;

describe('app icons', () => {
  it('registers every icon a template names (an unregistered name renders an empty box)', () => {
    const used = new Set<string>();
    for (const file of sources(APP_DIR)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/svgIcon="([a-z-]+)"/g)) used.add(match[1]);
      // Bound names: the string literals of `[svgIcon]="cond ? 'a' : 'b'"`.
      for (const binding of text.matchAll(/\[svgIcon\]="([^"]*)"/g)) for (const literal of binding[1].matchAll(/'([a-z-]+)'/g)) used.add(literal[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !APP_ICON_NAMES.includes(name))).toEqual([]);
  });
});
