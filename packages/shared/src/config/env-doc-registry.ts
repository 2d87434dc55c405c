import { z } from 'zod';

/**
 * The documentation of every env setting, registered next to its schema in `env.ts` and rendered
 * into the README's configuration table by `env-doc.ts`.
 */

/** A role a setting is documented for (`migrate` reads only the settings every role has). */
export type EnvDocRole = 'collector' | 'scheduler' | 'api' | 'all-in-one';

/** What the README's configuration table says about one setting (rendered by `env-doc.ts`). */
export interface EnvDoc {
  /** The roles that use it: `all`, or the ones named. */
  roles: 'all' | readonly EnvDocRole[];
  /** The default as the table shows it, when words say more than the schema's default (or it has none). */
  shown?: string;
  /** What the setting does, in Markdown. */
  meaning: string;
}

/** Documentation by schema; `env-doc.test.ts` fails when a setting has none. */
export const envDocs = z.registry<EnvDoc>();

/** `schema`, with its documentation registered in `envDocs` (parsing is unchanged). */
export function documented<T extends z.ZodType>(schema: T, doc: EnvDoc): T {
  envDocs.add(schema, doc);
  return schema;
}
