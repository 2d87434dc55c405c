/**
 * The dashboard's build: esbuild bundles `src/main.ts` (with its CSS and uPlot) into
 * content-hashed files under `dist/assets/`, the icon is copied under a hash of its bytes, the HTML
 * document is written with those names, every file gets precompressed copies, and
 * `dist/manifest.json` is written last.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, context, type Metafile, type Plugin } from 'esbuild';
import { renderShell } from './html.js';
import { describeFile, type Manifest, nameHash } from './manifest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const ASSETS = join(DIST, 'assets');

/** The outputs of the bundle, by kind (paths relative to `dist/`). */
function bundleOutputs(metafile: Metafile): { js: string; css: string; extra: string[] } {
  let js: string | undefined;
  let css: string | undefined;
  const extra: string[] = [];
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const file = relative(DIST, join(ROOT, path));
    if (output.entryPoint && file.endsWith('.js')) js = file;
    else if (file.endsWith('.css')) css = file;
    else extra.push(file);
  }
  if (!js || !css)
    throw new Error(`the bundle lacks its script or stylesheet: ${Object.keys(metafile.outputs)}`);
  return { js, css, extra };
}

/** Icon, HTML document and manifest around a finished bundle. */
async function finish(metafile: Metafile): Promise<Manifest> {
  const { js, css, extra } = bundleOutputs(metafile);
  const iconSource = join(ROOT, 'src', 'icon.svg');
  const icon = `assets/icon.${nameHash(await readFile(iconSource))}.svg`;
  await copyFile(iconSource, join(DIST, icon));
  await writeFile(
    join(DIST, 'index.html'),
    renderShell({ script: `/${js}`, stylesheet: `/${css}`, icon: `/${icon}` }),
  );

  const manifest: Manifest = {
    version: 1,
    entries: { 'app.js': js, 'app.css': css, 'icon.svg': icon, 'index.html': 'index.html' },
    files: {},
  };
  for (const file of [js, css, icon, ...extra]) manifest.files[file] = await describeFile(DIST, file, true);
  manifest.files['index.html'] = await describeFile(DIST, 'index.html', false);
  await writeFile(join(DIST, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** uPlot's MIT licence asks for its copyright notice in every copy: it heads the script. */
async function licenseBanner(): Promise<string> {
  const dir = join(ROOT, 'node_modules', 'uplot');
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
  const license = await readFile(join(dir, 'LICENSE'), 'utf8');
  const copyright = license
    .split('\n')
    .find((line) => line.startsWith('Copyright'))
    ?.trim();
  if (!copyright) throw new Error('uPlot LICENSE without a copyright line');
  return `/*! uPlot ${pkg.version} | ${copyright} | ${pkg.license} License */`;
}

const options: BuildOptions = {
  absWorkingDir: ROOT,
  entryPoints: { app: 'src/main.ts' },
  bundle: true,
  minify: true,
  format: 'esm',
  // Evergreen browsers of the last few years; nothing here needs a polyfill.
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: ASSETS,
  entryNames: '[name].[hash]',
  assetNames: '[name].[hash]',
  legalComments: 'none',
  metafile: true,
  charset: 'utf8',
  logLevel: 'warning',
};

/** One full build from a clean `dist/`. */
export async function buildDashboard(): Promise<Manifest> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(ASSETS, { recursive: true });
  const result = await build({ ...options, banner: { js: await licenseBanner() } });
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return finish(result.metafile);
}

/** Rebuilds on every change until the process ends. */
export async function watchDashboard(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(ASSETS, { recursive: true });
  const onEnd: Plugin = {
    name: 'manifest',
    setup(b) {
      b.onEnd(async (result) => {
        if (result.metafile && result.errors.length === 0) await finish(result.metafile);
      });
    },
  };
  const ctx = await context({ ...options, banner: { js: await licenseBanner() }, plugins: [onEnd] });
  await ctx.watch();
}
