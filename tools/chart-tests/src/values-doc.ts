import { parse } from 'yaml';

/**
 * Reads the helm-docs style comments of a chart's values.yaml:
 *
 *   # @schema minimum=1 maximum=1024     (optional constraints for values.schema.json)
 *   # -- Description of the value,
 *   # continued on following comment lines.
 *   key: default
 *
 * and renders the README table and the JSON schema from them.
 */

/** Constraints from `# @schema` lines. */
export interface SchemaHints {
  type?: string[];
  enum?: string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/** One documented value. */
export interface ValueDoc {
  /** Dotted path, e.g. `collector.replicas`. */
  key: string;
  path: string[];
  description: string;
  hints: SchemaHints;
  default: unknown;
}

/** Thrown on a values.yaml this reader cannot follow. */
export class ValuesDocError extends Error {
  override name = 'ValuesDocError';
}

const KEY_LINE = /^(\s*)("[^"]+"|[A-Za-z0-9_.\-/]+):(\s|$)/;

function parseHints(text: string): SchemaHints {
  const hints: SchemaHints = {};
  for (const part of text.trim().split(/\s+/)) {
    const [name, value = ''] = part.split('=');
    if (name === 'type') hints.type = value.split('|');
    else if (name === 'enum') hints.enum = value.split('|');
    else if (name === 'minimum') hints.minimum = Number(value);
    else if (name === 'maximum') hints.maximum = Number(value);
    else if (name === 'pattern') hints.pattern = value;
    else throw new ValuesDocError(`unknown @schema hint "${part}"`);
  }
  return hints;
}

function getPath(values: unknown, path: string[]): unknown {
  let node = values;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every documented value, in file order. */
export function readValuesDocs(text: string): ValueDoc[] {
  const values = parse(text) as unknown;
  const docs: ValueDoc[] = [];
  const stack: { indent: number; key: string }[] = [];
  let description: string[] | undefined;
  let hints: SchemaHints = {};
  let inBlockScalar: number | undefined;

  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (inBlockScalar !== undefined) {
      if (trimmed === '' || indent > inBlockScalar) continue;
      inBlockScalar = undefined;
    }
    if (trimmed.startsWith('# @schema')) {
      hints = { ...hints, ...parseHints(trimmed.slice('# @schema'.length)) };
      continue;
    }
    if (trimmed.startsWith('# --')) {
      description = [trimmed.slice(4).trim()];
      continue;
    }
    if (trimmed.startsWith('#')) {
      if (description) description.push(trimmed.replace(/^#\s?/, ''));
      continue;
    }
    const match = KEY_LINE.exec(line);
    if (!match || trimmed.startsWith('-')) {
      if (trimmed === '') {
        description = undefined;
        hints = {};
      }
      continue;
    }
    const key = (match[2] ?? '').replace(/^"|"$/g, '');
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    stack.push({ indent, key });
    const path = stack.map((s) => s.key);
    if (/:\s*[|>][-+]?\s*$/.test(line)) inBlockScalar = indent;
    if (description) {
      docs.push({
        key: path.join('.'),
        path,
        description: description.join(' ').trim(),
        hints,
        default: getPath(values, path),
      });
    } else if (Object.keys(hints).length > 0) {
      throw new ValuesDocError(`@schema hint without a "# --" description above ${path.join('.')}`);
    }
    description = undefined;
    hints = {};
  }
  return docs;
}

/** Dotted paths of values that neither they nor an ancestor document. */
export function undocumentedLeaves(text: string): string[] {
  const documented = new Set(readValuesDocs(text).map((d) => d.key));
  const missing: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    const key = path.join('.');
    if (path.length > 0 && documented.has(key)) {
      if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
        for (const [k, v] of Object.entries(node)) walkDocumentedChild(v, [...path, k]);
      }
      return;
    }
    if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
      return;
    }
    missing.push(key);
  };
  // Below a documented object, children may be documented too but need not be.
  const walkDocumentedChild = (node: unknown, path: string[]) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walkDocumentedChild(v, [...path, k]);
    }
  };
  walk(parse(text) as unknown, []);
  return missing;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return 'string';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The values table in helm-docs' layout. */
export function renderValuesTable(docs: ValueDoc[]): string {
  const rows = docs.map((d) => {
    const type = d.hints.type ? d.hints.type.join(' or ') : typeOf(d.default);
    return `| ${d.key} | ${type} | \`${cell(JSON.stringify(d.default ?? null))}\` | ${cell(d.description)} |`;
  });
  return ['| Key | Type | Default | Description |', '|-----|------|---------|-------------|', ...rows].join(
    '\n',
  );
}

/** Placeholder in README.tmpl.md replaced by the values table. */
export const VALUES_PLACEHOLDER = '<!-- values-table -->';

/** The README from its template: the placeholder becomes the generated table. */
export function renderReadme(template: string, docs: ValueDoc[]): string {
  if (!template.includes(VALUES_PLACEHOLDER)) {
    throw new ValuesDocError(`README template lacks ${VALUES_PLACEHOLDER}`);
  }
  const banner =
    '<!-- Generated from README.tmpl.md and values.yaml by tools/chart-tests (pnpm --filter @nostr-info/chart-tests gen). Do not edit. -->';
  return `${banner}\n\n${template.replace(VALUES_PLACEHOLDER, renderValuesTable(docs)).trim()}\n`;
}

type Schema = Record<string, unknown>;

function leafSchema(doc: ValueDoc): Schema {
  const schema: Schema = { description: doc.description };
  const value = doc.default;
  const types = doc.hints.type ?? [];
  if (types.length > 0) {
    schema.type = types.length === 1 ? types[0] : types;
  } else if (Array.isArray(value)) {
    schema.type = 'array';
  } else if (typeof value === 'object' && value !== null) {
    schema.type = 'object';
  } else if (typeof value === 'number') {
    schema.type = Number.isInteger(value) ? 'integer' : 'number';
  } else if (typeof value === 'boolean') {
    schema.type = 'boolean';
  } else {
    schema.type = 'string';
  }
  if (doc.hints.enum) schema.enum = doc.hints.enum;
  if (doc.hints.minimum !== undefined) schema.minimum = doc.hints.minimum;
  if (doc.hints.maximum !== undefined) schema.maximum = doc.hints.maximum;
  if (doc.hints.pattern) schema.pattern = doc.hints.pattern;
  return schema;
}

/**
 * values.schema.json: objects whose children are documented are closed (no unknown keys, so a
 * typo in a values file fails `helm lint`); a value documented as a whole is typed by its default
 * or its `@schema type=` hint.
 */
export function renderSchema(docs: ValueDoc[], values: unknown): Schema {
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const hasDocumentedChild = (key: string) => docs.some((d) => d.key.startsWith(`${key}.`));
  const build = (node: unknown, path: string[]): Schema => {
    const key = path.join('.');
    const doc = byKey.get(key);
    const structural =
      typeof node === 'object' &&
      node !== null &&
      !Array.isArray(node) &&
      (path.length === 0 || hasDocumentedChild(key));
    if (!structural) {
      if (!doc) throw new ValuesDocError(`value ${key} is not documented`);
      return leafSchema(doc);
    }
    const properties: Record<string, Schema> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>))
      properties[k] = build(v, [...path, k]);
    const schema: Schema = {};
    if (doc) schema.description = doc.description;
    Object.assign(schema, { type: 'object', additionalProperties: false, properties });
    return schema;
  };
  const root = build(values, []);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'nostr-info chart values', ...root };
}
