import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

/**
 * Builds the web console from its sources once, before any test file runs, so the browser tests
 * test the code as it is and no test rebuilds dist/console while another one serves it.
 */
export default function setup(): void {
  const build = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(repoRoot, 'console/vite.config.ts')],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`the console does not build:\n${build.stderr}`);
}
