import { createRequire } from 'node:module';
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Ajv, type ValidateFunction } from 'ajv';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import type { K8sObject } from '../helm.js';
import { FieldTracker } from './tracking-proxy.js';

type Validate = (object: unknown) => void;

interface ModelClass {
  apiVersion?: string;
  kind?: string;
  prototype: { validate?: () => void };
}

/** `apiVersion/kind` → a function that throws on a schema violation. */
function modelValidators(): Map<string, Validate> {
  const map = new Map<string, Validate>();
  const modules = [coreV1, appsV1, batchV1, autoscalingV2, policyV1, rbacV1, networkingV1, monitoringV1];
  for (const mod of modules) {
    for (const value of Object.values(mod) as unknown[]) {
      const model = value as ModelClass;
      if (typeof value !== 'function' || !model.apiVersion || !model.kind) continue;
      const validate = model.prototype.validate;
      if (!validate) continue;
      map.set(`${model.apiVersion}/${model.kind}`, (object) => validate.call(object));
    }
  }
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const cnpg: ValidateFunction = ajv.compile(require('./cnpg-cluster.schema.json'));
  map.set('postgresql.cnpg.io/v1/Cluster', (object) => {
    if (!cnpg(object)) {
      throw new Error(
        (cnpg.errors ?? [])
          .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
          .join('; '),
      );
    }
  });
  return map;
}

let validators: Map<string, Validate> | undefined;

/** One problem found in a rendered object. */
export interface ValidationProblem {
  object: string;
  message: string;
}

/**
 * Validates an object against its Kubernetes (or CRD) schema, then reports every field the schema
 * does not declare. Unknown kinds are problems too: nothing passes unchecked.
 */
export function validateObject(object: K8sObject): ValidationProblem[] {
  validators ??= modelValidators();
  const id = `${object.kind}/${object.metadata?.name ?? '(no name)'}`;
  const validate = validators.get(`${object.apiVersion}/${object.kind}`);
  if (!validate) return [{ object: id, message: `no schema for ${object.apiVersion} ${object.kind}` }];
  const tracker = new FieldTracker();
  const plain = JSON.parse(JSON.stringify(object)) as K8sObject;
  try {
    validate(tracker.wrap(plain));
  } catch (err) {
    return [{ object: id, message: err instanceof Error ? err.message : String(err) }];
  }
  return tracker.unknownFields(plain).map((path) => ({ object: id, message: `unknown field ${path}` }));
}

/** Validates every object. */
export function validateAll(objects: K8sObject[]): ValidationProblem[] {
  return objects.flatMap(validateObject);
}
