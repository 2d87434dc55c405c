// Plain JavaScript, as index.js: a vitest global set-up, loaded before any TypeScript transform.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Compiles the package under test (`tsc -p tsconfig.build.json` in its root), so tests that start
 * its processes run the real `dist/` built from the current source, as the image does. The
 * packages it imports are built by turbo's `^build`.
 */
export default function setup(project) {
  const root = project.config.root;
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
