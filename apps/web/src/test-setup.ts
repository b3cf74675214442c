// Angular's TestBed for every web test file, zoneless like the app itself.
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless/index.mjs';

setupZonelessTestEnv();
