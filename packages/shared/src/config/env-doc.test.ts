import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envSchemas } from './env.js';
import {
  ENV_TABLE_END,
  ENV_TABLE_START,
  EnvDocError,
  envDocRows,
  envFields,
  renderEnvTable,
  replaceEnvTable,
  schemaDefault,
  undocumentedEnv,
} from './env-doc.js';
import { envDocs } from './env-doc-registry.js';

const README = new URL('../../../../README.md', import.meta.url);

describe('the env documentation', () => {
  it('documents every setting of every role', () => {
    expect(undocumentedEnv()).toEqual([]);
    expect(envDocRows().length).toBe(envFields().size);
  });

  it('finds a setting added without documentation', () => {
    const schemas = { ...envSchemas, api: envSchemas.api.extend({ SURPRISE: z.string().optional() }) };
    expect(undocumentedEnv(schemas)).toEqual(['SURPRISE']);
    expect(() => renderEnvTable(schemas)).toThrow(/SURPRISE has no documentation/);
  });

  it("names only roles whose schema reads the setting ('all': every role's)", () => {
    const wrong: string[] = [];
    for (const [name, field] of envFields()) {
      const roles = envDocs.get(field)?.roles;
      const named: readonly (keyof typeof envSchemas)[] =
        roles === 'all' ? (Object.keys(envSchemas) as (keyof typeof envSchemas)[]) : (roles ?? []);
      for (const role of named) {
        if (!(role in envSchemas) || !(name in envSchemas[role].shape)) wrong.push(`${name}: ${role}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("a default shown in words still names the schema's default", () => {
    const wrong: string[] = [];
    for (const [name, field] of envFields()) {
      const shown = envDocs.get(field)?.shown;
      const fallback = schemaDefault(field);
      if (shown !== undefined && fallback !== undefined && !shown.includes(`\`${fallback}\``)) {
        wrong.push(`${name}: "${shown}" does not show \`${fallback}\``);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('renders defaults from the schemas', () => {
    const rows = new Map(envDocRows().map((r) => [r.name, r]));
    expect(rows.get('PORT')).toMatchObject({ roles: 'api', shown: '`3000`' });
    expect(rows.get('LOG_PRETTY')).toMatchObject({ roles: 'all', shown: '`false`' });
    expect(rows.get('REDIS_URL')).toMatchObject({ roles: 'collector, scheduler, api', shown: '—' });
    expect(rows.get('DATABASE_URL')?.shown).toBe('— (embedded PGlite)');
  });
});

describe('README.md configuration table', () => {
  it('is the one generated from the env schemas (regenerate: pnpm --filter @nostr-info/shared env-doc)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(ENV_TABLE_START);
    expect(readme === replaceEnvTable(readme), 'README.md configuration table drifted from env.ts').toBe(
      true,
    );
  });

  it('replaces only the block between the markers', () => {
    const text = `# t\n\n${ENV_TABLE_START}\nold\n${ENV_TABLE_END}\n\nafter\n`;
    const out = replaceEnvTable(text, '| a |');
    expect(out.startsWith(`# t\n\n${ENV_TABLE_START}\n`)).toBe(true);
    expect(out).toContain('\n\n| a |\n\n');
    expect(out.endsWith(`${ENV_TABLE_END}\n\nafter\n`)).toBe(true);
    expect(replaceEnvTable(out, '| a |')).toBe(out);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceEnvTable('# no table\n', '| a |')).toThrow(EnvDocError);
  });
});
