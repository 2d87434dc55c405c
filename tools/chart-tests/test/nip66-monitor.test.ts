import { describe, expect, it } from 'vitest';
import { findOne, render } from '../src/helm.js';
import { containerOf, containers, envEntry } from '../src/inspect.js';

// The NIP-66 monitor's key is a secret like the connection settings: in the Secret (or an
// existingSecret) and nowhere else, read by the collector alone; its relays and interval are settings.

const KEY = '67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa';

describe('NIP-66 monitor values', () => {
  it('keeps the key in the Secret, gives it to the collector only, and the relays to its ConfigMap', () => {
    const objects = render({
      set: [
        `secrets.monitorSecretKey=${KEY}`,
        'collector.monitor.publishRelays[0]=wss://one.example',
        'collector.monitor.publishRelays[1]=wss://two.example',
        'collector.monitor.publishIntervalSeconds=600',
      ],
    });
    expect(findOne(objects, 'Secret', 'nostr-info').stringData.MONITOR_SECRET_KEY).toBe(KEY);
    const elsewhere = objects.filter((o) => o.kind !== 'Secret').map((o) => JSON.stringify(o));
    expect(elsewhere.join('\n')).not.toContain(KEY);
    const collector = containerOf(objects, 'StatefulSet', '-collector');
    expect(envEntry(collector, 'MONITOR_SECRET_KEY').valueFrom.secretKeyRef).toEqual({
      name: 'nostr-info',
      key: 'MONITOR_SECRET_KEY',
      optional: true,
    });
    const others = containers(objects).filter((ref) => ref.owner.kind !== 'StatefulSet');
    for (const ref of others) expect(JSON.stringify(ref.container.env ?? [])).not.toContain('MONITOR_');
    const config = findOne(objects, 'ConfigMap', '-collector');
    expect(config.data.MONITOR_PUBLISH_RELAYS).toBe('wss://one.example,wss://two.example');
    expect(config.data.MONITOR_PUBLISH_INTERVAL_SECONDS).toBe('600');
  });

  it('reads the key from an existingSecret under its configured name', () => {
    const objects = render({
      set: ['existingSecret=mine', 'secretKeys.monitorSecretKey=nip66-key'],
    });
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const collector = containerOf(objects, 'StatefulSet', '-collector');
    expect(envEntry(collector, 'MONITOR_SECRET_KEY').valueFrom.secretKeyRef).toEqual({
      name: 'mine',
      key: 'nip66-key',
      optional: true,
    });
  });
});
