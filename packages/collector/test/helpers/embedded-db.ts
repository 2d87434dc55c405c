import type { Databases } from '@nostr-info/shared/db';
import { migratedEmbeddedDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll } from 'vitest';

/**
 * A migrated in-memory embedded database (PGlite, the all-in-one default) for the enclosing
 * `describe`, opened before its tests and closed after them; call the result inside a test.
 */
export function useEmbeddedDatabase(): () => Databases {
  let dbs: Databases | undefined;
  beforeAll(async () => {
    dbs = await migratedEmbeddedDatabase();
  });
  afterAll(() => dbs?.close());
  return () => {
    if (!dbs) throw new Error('the embedded database is not open yet');
    return dbs;
  };
}
