import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOne, render } from '../src/helm.js';
import { REPO_ROOT } from '../src/paths.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const bundleCheck = readFileSync(join(REPO_ROOT, 'scripts/bundle/check.sh'), 'utf8');
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');

/** Instructions of the last stage (the image that ships). */
function runtimeStage(): string[] {
  const stages = dockerfile.split(/^FROM /m);
  return (stages.at(-1) ?? '').split('\n');
}

describe('Dockerfile', () => {
  it('is multi-stage and ships the pruned `pnpm deploy --prod` bundle the bundle check starts', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const deploy = /pnpm --filter @nostr-info\/cli deploy --prod --legacy/;
    expect(dockerfile).toMatch(deploy);
    expect(bundleCheck).toMatch(deploy);
    expect(runtimeStage().join('\n')).toMatch(/COPY --from=build \/out \/app/);
  });

  it('runs as the non-root UID/GID the chart expects', () => {
    const user = runtimeStage().find((l) => l.startsWith('USER '));
    expect(user).toBe('USER 10001:10001');
    const pod = findOne(render(), 'Deployment', '-api').spec.template.spec.securityContext;
    expect(`USER ${pod.runAsUser}:${pod.runAsGroup}`).toBe(user);
  });

  it('has the CLI as entrypoint and the role as argument, as the chart passes it', () => {
    const stage = runtimeStage();
    expect(stage).toContain('ENTRYPOINT ["node", "/app/dist/main.js"]');
    expect(stage.find((l) => l.startsWith('CMD '))).toBe('CMD ["all-in-one"]');
    const container = findOne(render(), 'StatefulSet', '-collector').spec.template.spec.containers[0];
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['collector']);
  });

  it('keeps dependencies, build output and secrets out of the build context', () => {
    for (const entry of ['**/node_modules', '**/dist', '.git', '.env']) expect(dockerignore).toContain(entry);
  });
});
