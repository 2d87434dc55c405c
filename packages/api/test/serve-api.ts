/**
 * Runs one API process for the multi-process tests: `node --import tsx serve-api.ts '<json>'`
 * with `{ env, options }`; prints `READY <port>` and stops gracefully on SIGTERM.
 */
import { testRoleContext } from '@nostr-info/shared/testing';
import { type StartApiOptions, startApi } from '../src/server.js';

const { env, options = {} } = JSON.parse(process.argv[2] ?? '{}') as {
  env: Record<string, string>;
  options?: StartApiOptions;
};
const ctx = await testRoleContext('api', { env: { HOST: '127.0.0.1', ...env }, poolMax: 4 });
const api = await startApi({ ...ctx, env: { ...ctx.env, PORT: 0 } }, options);
process.stdout.write(`READY ${api.port}\n`);
process.on('SIGTERM', () => {
  void api
    .stop()
    .then(() => ctx.close())
    .then(() => process.exit(0));
});
