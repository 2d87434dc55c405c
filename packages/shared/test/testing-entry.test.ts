import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** `'@nostr-info/shared/testing'`, or `'../testing.js'` / `'../testing/…'` inside shared. */
const TESTING_IMPORT = /['"](?:@nostr-info\/shared\/|(?:\.\.?\/)+)testing(?:\.js|\/[^'"]*)?['"]/;

/** Source files of every workspace package's `src/`, tests beside the code left out. */
function productionFiles(): string[] {
  const packages = ['packages', 'tools', 'relay-sim'].flatMap((dir) =>
    dir === 'relay-sim'
      ? [join(ROOT, dir)]
      : readdirSync(join(ROOT, dir), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(ROOT, dir, d.name)),
  );
  return packages.flatMap((pkg) =>
    readdirSync(join(pkg, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.test.ts'))
      .map((file) => join(pkg, 'src', file)),
  );
}

describe('the testing entry', () => {
  it('is imported by no production code', () => {
    const files = productionFiles();
    expect(files.length).toBeGreaterThan(50);
    const importers = files
      .map((file) => relative(ROOT, file))
      .filter((file) => !/^packages\/shared\/src\/testing(\.ts|\/)/.test(file))
      .filter((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        return TESTING_IMPORT.test(text);
      });
    expect(importers).toEqual([]);
  });
});
