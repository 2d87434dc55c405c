/** `pnpm --filter @nostr-info/web build` (`--watch`: rebuild on every change). */
import { buildDashboard, watchDashboard } from './bundle.js';

if (process.argv.includes('--watch')) {
  await watchDashboard();
} else {
  const manifest = await buildDashboard();
  const sizes = Object.entries(manifest.files).map(
    ([file, f]) => `  ${file}  ${f.bytes} B  (br ${f.encodings.br ?? f.bytes} B)`,
  );
  process.stdout.write(`dashboard built into dist/:\n${sizes.join('\n')}\n`);
}
