import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, render, renderCi } from '../src/helm.js';
import { containers, envEntry, roleOf } from '../src/inspect.js';

const CACHE_ROLES = ['collector', 'scheduler', 'api'];

describe('Redis credentials', () => {
  it('puts secrets.redisPassword/redisUsername into the Secret only and gives them to every cache user', () => {
    const objects = render({
      set: [
        'secrets.redisClusterNodes=redis-0.redis:6379',
        'secrets.redisUrl=',
        'secrets.redisUsername=nostr_app',
        'secrets.redisPassword=Cluster-Secret-7',
      ],
    });
    const secret = findOne(objects, 'Secret', 'nostr-info');
    expect(secret.stringData.REDIS_PASSWORD).toBe('Cluster-Secret-7');
    expect(secret.stringData.REDIS_USERNAME).toBe('nostr_app');
    const elsewhere = objects.filter((o) => o.kind !== 'Secret').map((o) => JSON.stringify(o));
    expect(elsewhere.join('\n')).not.toContain('Cluster-Secret-7');
    const users = containers(objects).filter((ref) => CACHE_ROLES.includes(roleOf(ref) ?? ''));
    expect(new Set(users.map((ref) => roleOf(ref)))).toEqual(new Set(CACHE_ROLES));
    for (const ref of users) {
      expect(envEntry(ref, 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({
        name: 'nostr-info',
        key: 'REDIS_PASSWORD',
        optional: true,
      });
      expect(envEntry(ref, 'REDIS_USERNAME').valueFrom.secretKeyRef.key).toBe('REDIS_USERNAME');
    }
  });

  it('reads them from an existingSecret under the configured keys', () => {
    const ci = ciValuesFiles().find((c) => c.name === 'existing-secret-values');
    if (!ci) throw new Error('existing-secret-values missing');
    const api = containers(renderCi(ci)).find((c) => c.owner.kind === 'Deployment');
    if (!api) throw new Error('no api');
    expect(envEntry(api, 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({
      name: 'nostr-info-credentials',
      key: 'redis-password',
      optional: true,
    });
    expect(envEntry(api, 'REDIS_USERNAME').valueFrom.secretKeyRef.key).toBe('redis-username');
  });
});
