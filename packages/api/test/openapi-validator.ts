import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const pointer = (...tokens: string[]) =>
  tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/**
 * Validates bodies against the served OpenAPI 3.1 document itself (JSON Schema 2020-12), so a
 * test fails when what the API sends and what it documents drift apart.
 */
export function openApiValidator(doc: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const cache = new Map<string, ValidateFunction>();
  const compile = (ref: string) => {
    let fn = cache.get(ref);
    if (!fn) {
      fn = ajv.compile({ $ref: `openapi.json#/${ref}` });
      cache.set(ref, fn);
    }
    return fn;
  };
  return {
    /** Errors (empty when valid) of `body` against the response schema of `path` / `status`. */
    response(path: string, status: number, body: unknown, media = 'application/json'): string[] {
      const validate = compile(
        pointer('paths', path, 'get', 'responses', String(status), 'content', media, 'schema'),
      );
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    },
    /** Errors of `body` against a component schema. */
    component(name: string, body: unknown): string[] {
      const validate = compile(pointer('components', 'schemas', name));
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    },
  };
}
