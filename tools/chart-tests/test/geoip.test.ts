import { describe, expect, it } from 'vitest';
import { findOne, render } from '../src/helm.js';
import { containerOf } from '../src/inspect.js';

// The census's IP databases can be refreshed without a new image: files on a volume of the
// operator's, named by path; by default the collector uses the ones bundled in the image.

describe('census IP database values', () => {
  it('by default sets no path and mounts no volume', () => {
    const objects = render({});
    const config = findOne(objects, 'ConfigMap', '-collector');
    expect(config.data.GEOIP_COUNTRY_DB).toBeUndefined();
    expect(config.data.GEOIP_ASN_DB).toBeUndefined();
    const set = findOne(objects, 'StatefulSet', '-collector');
    expect(JSON.stringify(set.spec.template.spec.volumes)).not.toContain('geoip');
  });

  it('names the files and mounts their volume read-only in the collector', () => {
    const objects = render({
      set: [
        'collector.geoip.countryDb=/var/lib/nostr-info/geoip/country.mmdb',
        'collector.geoip.asnDb=/var/lib/nostr-info/geoip/asn-v4.csv\\,/var/lib/nostr-info/geoip/asn-v6.csv',
        'collector.geoip.volume.persistentVolumeClaim.claimName=geoip-data',
      ],
    });
    const config = findOne(objects, 'ConfigMap', '-collector');
    expect(config.data.GEOIP_COUNTRY_DB).toBe('/var/lib/nostr-info/geoip/country.mmdb');
    expect(config.data.GEOIP_ASN_DB).toBe(
      '/var/lib/nostr-info/geoip/asn-v4.csv,/var/lib/nostr-info/geoip/asn-v6.csv',
    );
    const set = findOne(objects, 'StatefulSet', '-collector');
    expect(set.spec.template.spec.volumes).toContainEqual({
      name: 'geoip',
      persistentVolumeClaim: { claimName: 'geoip-data' },
    });
    expect(containerOf(objects, 'StatefulSet', '-collector').container.volumeMounts).toContainEqual({
      name: 'geoip',
      mountPath: '/var/lib/nostr-info/geoip',
      readOnly: true,
    });
  });
});
