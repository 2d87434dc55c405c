/**
 * Unknown-field detection on top of the precompiled schema validators of kubernetes-models.
 *
 * Those validators (Ajv standalone code) check declared properties but accept extra ones, as the
 * Kubernetes OpenAPI schemas do. The generated code reads every declared property of an object
 * (`data.limits !== undefined`), present or not, and iterates map-like objects (labels, data)
 * key by key. So a property the validator never read is one the schema does not declare: the
 * same error `kubectl apply --validate=strict` reports as "unknown field".
 */

type Json = unknown;

interface Tracked {
  /** Property names the validator read (present or absent) or tested with `in`. */
  read: Set<string | symbol>;
  /** Whether the validator enumerated the keys (a map-like object). */
  enumerated: boolean;
}

/** Wraps `root` so every property read is recorded; `unknownFields` then reports the rest. */
export class FieldTracker {
  private readonly tracked = new WeakMap<object, Tracked>();
  private readonly proxies = new WeakMap<object, object>();

  /** A proxy of `value` (and, lazily, of everything below it). */
  wrap<T extends Json>(value: T): T {
    if (typeof value !== 'object' || value === null) return value;
    const existing = this.proxies.get(value);
    if (existing) return existing as T;
    const state: Tracked = { read: new Set(), enumerated: false };
    this.tracked.set(value, state);
    const proxy = new Proxy(value, {
      get: (target, key, receiver) => {
        state.read.add(key);
        return this.wrap(Reflect.get(target, key, receiver) as Json);
      },
      has: (target, key) => {
        state.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        state.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    this.proxies.set(value, proxy);
    return proxy as T;
  }

  /**
   * JSON-pointer-like paths of fields the validator never read. An object none of whose
   * properties were read and whose keys were not enumerated has a free-form schema
   * (`type: object` only) and is skipped; so is everything below an unknown field.
   */
  unknownFields(root: Json, path = ''): string[] {
    if (typeof root !== 'object' || root === null) return [];
    if (Array.isArray(root)) return root.flatMap((item, i) => this.unknownFields(item, `${path}/${i}`));
    const state = this.tracked.get(root);
    if (!state) return [];
    const freeForm = state.read.size === 0 && !state.enumerated;
    if (freeForm) return [];
    const found: string[] = [];
    for (const [key, child] of Object.entries(root)) {
      const childPath = `${path}/${key}`;
      if (!state.enumerated && !state.read.has(key)) {
        found.push(childPath);
        continue;
      }
      found.push(...this.unknownFields(child, childPath));
    }
    return found;
  }
}
