import { Worker, type WorkerOptions } from 'node:worker_threads';

// Production runs the build (`dist/*.js`); tests and benchmarks run the TypeScript sources, where
// no `.js` file exists and a worker thread needs tsx's loader to read the `.ts` one.
const fromSources = import.meta.url.endsWith('.ts');

/**
 * Starts a worker thread on a module of this package, named by its built file
 * (`new URL('./x-worker.js', import.meta.url)`). From sources, the `.ts` file is started instead,
 * with tsx (a dev dependency, never in the bundle) registered by `register-tsx.mjs`.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!fromSources) return new Worker(url, options);
  return new Worker(new URL(url.href.replace(/\.js$/, '.ts')), {
    ...options,
    execArgv: ['--import', new URL('./register-tsx.mjs', import.meta.url).href],
  });
}
