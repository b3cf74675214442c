import { constants, enableCompileCache, EnableCompileCacheResult } from 'node:module';

/**
 * Node's on-disk compile cache (V8 code cache) for every module loaded after this one. Most of the
 * server's start-up is compiling the ~2,800 files of Nest, TypeORM, Swagger and the rest; with the
 * cache a restart reuses the previous compilation. `main.ts` imports this module first.
 *
 * The directory is Node's default, `<os tmpdir>/node-compile-cache`, or `NODE_COMPILE_CACHE` when set;
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off. Entries are keyed by file content and Node version (a
 * rebuild or an upgrade costs one cold start) and written atomically, so instances can share it. Node
 * writes the cache when the process exits (the shutdown hooks make SIGTERM and SIGINT an exit), not
 * during start-up: a cold start is no slower than without a cache, and serving never waits for it. A
 * directory that cannot be written only means no cache.
 */
export const compileCache: EnableCompileCacheResult = enableCompileCache();

/** One line for the start-up log. */
export function describeCompileCache(result: EnableCompileCacheResult = compileCache): string {
  switch (result.status) {
    case constants.compileCacheStatus.ENABLED:
    case constants.compileCacheStatus.ALREADY_ENABLED:
      return `compile cache in ${result.directory ?? '?'}`;
    case constants.compileCacheStatus.DISABLED:
      return 'compile cache disabled (NODE_DISABLE_COMPILE_CACHE)';
    default:
      return `compile cache unavailable: ${result.message ?? 'unknown error'}`;
  }
}
