// Keep this import first: it switches on Node's compile cache before anything else is loaded.
import { describeCompileCache } from './config/compile-cache';

import { Logger } from '@nestjs/common';

import { createApp } from './app.factory';
import { redactUrl } from './database/database-url';

async function bootstrap(): Promise<void> {
  const { app, config } = await createApp();
  app.enableShutdownHooks();
  await app.listen(config.port);
  const logger = new Logger('Bootstrap');
  // Node reports the IPv6 loopback (`http://[::1]:3000`); the address people open is localhost.
  const url = (await app.getUrl()).replace(/\/\/(\[::1?\]|127\.0\.0\.1|0\.0\.0\.0)(?=:)/, '//localhost');
  logger.log(`API listening on ${url}/api (${config.apiDocs ? 'docs at /api/docs' : 'docs off: API_DOCS'}), database ${redactUrl(config.databaseUrl)}`);
  logger.debug(describeCompileCache());
}

bootstrap().catch((error: unknown) => {
  // Configuration errors carry a readable message; print it without a stack trace.
  console.error(error instanceof Error && /Config|DatabaseUrl|LegacySupportChat/.test(error.name) ? error.message : error);
  process.exit(1);
});
