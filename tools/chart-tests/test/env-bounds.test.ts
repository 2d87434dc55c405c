import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchemas } from '@nostr-info/shared/config';
import { describe, expect, it } from 'vitest';
import { CHART_DIR } from '../src/paths.js';
import { readValuesDocs } from '../src/values-doc.js';

// A value the chart's schema admits must be one its role accepts: otherwise `helm install`
// passes and the pod exits 2 on start. Values documented as "`ENV_NAME`: …" are checked at the
// edges of the chart's range (or far past them where the chart sets no bound).

const FAR = 1e12;

const docs = readValuesDocs(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
/** What the test needs of an env field's schema. */
interface Field {
  safeParse(value: unknown): { success: boolean };
}

const fields = new Map<string, Field>();
for (const schema of Object.values(envSchemas)) {
  for (const [name, field] of Object.entries(schema.shape as Record<string, Field>)) fields.set(name, field);
}
const envBacked = docs.flatMap((doc) => {
  const name = /^`([A-Z][A-Z0-9_]*)`/.exec(doc.description)?.[1];
  const field = name ? fields.get(name) : undefined;
  return name && field ? [{ doc, name, field }] : [];
});
const numeric = envBacked.filter(({ doc }) => typeof doc.default === 'number');

describe("the chart's bounds of env-backed numbers are within the env's", () => {
  it('finds the numeric settings', () => {
    expect(numeric.map((n) => n.name)).toEqual(
      expect.arrayContaining(['DEDUP_TTL_SECONDS', 'FLUSH_INTERVAL_MS', 'VERIFY_WORKERS']),
    );
  });

  for (const { doc, name, field } of numeric) {
    it(`${doc.key} (${name})`, () => {
      const low = doc.hints.minimum ?? -FAR;
      const high = doc.hints.maximum ?? FAR;
      expect(field.safeParse(String(low)).success, `${name}=${low} (chart minimum)`).toBe(true);
      expect(field.safeParse(String(high)).success, `${name}=${high} (chart maximum)`).toBe(true);
      expect(field.safeParse(String(doc.default)).success, `${name}=${doc.default} (chart default)`).toBe(
        true,
      );
    });
  }
});

describe("the chart's other env-backed values are ones the env accepts", () => {
  const choices = envBacked.flatMap(({ doc, name, field }) => {
    if (doc.hints.enum) return doc.hints.enum.map((v) => ({ key: doc.key, name, field, value: v }));
    if (typeof doc.default === 'boolean')
      return ['true', 'false'].map((v) => ({ key: doc.key, name, field, value: v }));
    return [];
  });

  it('finds the enumerated and boolean settings', () => {
    expect(choices.map((c) => c.name)).toEqual(expect.arrayContaining(['LOG_LEVEL', 'DISCOVERY_ENABLED']));
  });

  for (const { key, name, field, value } of choices) {
    it(`${key} = ${value} (${name})`, () => {
      expect(field.safeParse(value).success).toBe(true);
    });
  }
});
