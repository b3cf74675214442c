import { DataSource } from 'typeorm';

import { SUPPORT_CHAT_ENTITIES } from '../entities';
import { REPOSITORY_STATEMENTS } from '.';
import { shapeKey, StatementCache, StatementDefinition } from './statement-cache';

/**
 * The cache key is derived from the statement and its shape, never written by a caller: two different
 * shapes of any repository method get two statements, and equal shapes one.
 */
describe('StatementCache', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...SUPPORT_CHAT_ENTITIES] });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  const all = Object.values(REPOSITORY_STATEMENTS).flat() as StatementDefinition[];

  it('never gives two shapes of any repository statement the same compiled statement, and each runs the SQL of its own shape', () => {
    const cache = new StatementCache(dataSource);
    const seen = new Map<unknown, string>();
    for (const definition of all) {
      for (const shape of definition.shapes) {
        const compiled = cache.get(definition, shape);
        const label = `${definition.name}(${shapeKey(shape)})`;
        expect(seen.get(compiled)).toBeUndefined();
        seen.set(compiled, label);
        // The statement runs exactly the SQL its own shape builds (or fails as that build does: a row
        // lock on SQLite, where the repository never runs it).
        let expected: string | Error;
        try {
          const built = definition.build(dataSource, shape);
          expected = typeof built === 'string' ? built : built.getQueryAndParameters()[0];
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) expect(() => compiled.query).toThrow(expected.message);
        else expect(compiled.query).toBe(expected);
      }
    }
    expect(seen.size).toBe(all.reduce((sum, definition) => sum + definition.shapes.length, 0));
  });

  it('keys an equal shape once, whatever the order of its keys', () => {
    const cache = new StatementCache(dataSource);
    const [inboxCount] = all.filter((definition) => definition.name === 'ConversationRepository.inboxCount');
    const a = cache.get(inboxCount, { scope: 'all', status: true, search: 'none' });
    expect(cache.get(inboxCount, { search: 'none', status: true, scope: 'all' })).toBe(a);
    expect(cache.get(inboxCount, { scope: 'all', status: false, search: 'none' })).not.toBe(a);
  });

  it('refuses two statements with one name instead of sharing their SQL', () => {
    const cache = new StatementCache(dataSource);
    const first: StatementDefinition = { name: 'Spec.same', shapes: [{}], build: () => 'SELECT 1' };
    const second: StatementDefinition = { name: 'Spec.same', shapes: [{}], build: () => 'SELECT 2' };
    cache.get(first, {});
    expect(() => cache.get(second, {})).toThrow(/Two statements are named Spec.same/);
  });

  it('names every statement uniquely', () => {
    const names = all.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
