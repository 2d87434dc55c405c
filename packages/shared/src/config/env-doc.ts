import type { z } from 'zod';
import { envSchemas } from './env.js';
import { type EnvDoc, envDocs } from './env-doc-registry.js';

/**
 * The configuration table of the root README, rendered from the env schemas and the `envDocs`
 * kept next to them, so the table cannot drift from what the services accept (`env-doc.test.ts`
 * compares the README's block with this rendering).
 */

/** First and last line of the generated block in README.md. */
export const ENV_TABLE_START = '<!-- env-table:start -->';
export const ENV_TABLE_END = '<!-- env-table:end -->';

/** Any set of role schemas (`envSchemas`, or a variant in tests). */
export type EnvSchemaSet = Readonly<Record<string, { shape: Record<string, z.ZodType> }>>;

/** Raised when README.md lacks the markers around the table. */
export class EnvDocError extends Error {
  override readonly name = 'EnvDocError';
}

/** One setting as the table shows it. */
export interface EnvDocRow {
  name: string;
  roles: string;
  shown: string;
  meaning: string;
}

/** Every setting of every role, each once, in schema order. */
export function envFields(schemas: EnvSchemaSet = envSchemas): Map<string, z.ZodType> {
  const fields = new Map<string, z.ZodType>();
  for (const schema of Object.values(schemas)) {
    for (const [name, field] of Object.entries(schema.shape)) if (!fields.has(name)) fields.set(name, field);
  }
  return fields;
}

/** Names of settings that have no entry in `envDocs`. */
export function undocumentedEnv(schemas: EnvSchemaSet = envSchemas): string[] {
  return [...envFields(schemas)].filter(([, field]) => !envDocs.has(field)).map(([name]) => name);
}

/** The schema's own default as text; undefined when the setting has none. */
export function schemaDefault(field: z.ZodType): string | undefined {
  const parsed = field.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

function rowOf(name: string, field: z.ZodType, doc: EnvDoc): EnvDocRow {
  const fallback = schemaDefault(field);
  return {
    name,
    roles: doc.roles === 'all' ? 'all' : doc.roles.join(', '),
    shown: doc.shown ?? (fallback === undefined ? '—' : `\`${fallback}\``),
    meaning: doc.meaning,
  };
}

/** The rows of the table; throws on a setting without documentation. */
export function envDocRows(schemas: EnvSchemaSet = envSchemas): EnvDocRow[] {
  return [...envFields(schemas)].map(([name, field]) => {
    const doc = envDocs.get(field);
    if (!doc)
      throw new EnvDocError(`${name} has no documentation in envDocs (packages/shared/src/config/env.ts)`);
    return rowOf(name, field, doc);
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The Markdown table of every setting. */
export function renderEnvTable(schemas: EnvSchemaSet = envSchemas): string {
  const rows = envDocRows(schemas).map(
    (r) => `| \`${r.name}\` | ${cell(r.roles)} | ${cell(r.shown)} | ${cell(r.meaning)} |`,
  );
  return ['| variable | roles | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with the block between the markers replaced by `table`. */
export function replaceEnvTable(readme: string, table: string = renderEnvTable()): string {
  const start = readme.indexOf(ENV_TABLE_START);
  const end = readme.indexOf(ENV_TABLE_END);
  if (start < 0 || end < start) {
    throw new EnvDocError(
      `README.md lacks ${ENV_TABLE_START} … ${ENV_TABLE_END} around the configuration table`,
    );
  }
  const banner =
    '<!-- Generated from packages/shared/src/config/env.ts (pnpm --filter @nostr-info/shared env-doc). Do not edit. -->';
  return `${readme.slice(0, start)}${ENV_TABLE_START}\n${banner}\n\n${table}\n\n${readme.slice(end)}`;
}
