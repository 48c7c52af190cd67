import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSidecarConfig } from '../../../sidecar/config.js';
import { startSidecar, type SidecarHandle } from '../../../sidecar/main.js';

// The admin port (/metrics, /readyz) binds loopback unless told otherwise, even when the proxy
// listens on every address: this machine's other address does not reach it.
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && !a.internal && a.family === 'IPv4')?.address;

let sidecar: SidecarHandle | undefined;
afterEach(async () => {
  await sidecar?.close();
  sidecar = undefined;
});

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('the sidecar admin port', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(loadSidecarConfig({ upstream: 'http://127.0.0.1:9' }, {}).adminHost).toBe('127.0.0.1');
    expect(loadSidecarConfig({ upstream: 'http://127.0.0.1:9' }, { INFERTRACE_ADMIN_HOST: '0.0.0.0' }).adminHost).toBe(
      '0.0.0.0',
    );
  });

  it.runIf(external !== undefined)(
    'is not reachable on another address of this machine unless set to 0.0.0.0',
    async () => {
      const start = async (env: Record<string, string>): Promise<SidecarHandle> =>
        startSidecar(
          loadSidecarConfig(
            { upstream: 'http://127.0.0.1:9', listen: '0.0.0.0:0', 'admin-port': '0' },
            { OTEL_TRACES_EXPORTER: 'none', ...env },
          ),
          { log: () => undefined },
        );
      sidecar = await start({});
      const port = new URL(sidecar.adminUrl).port;
      expect(await reachable(`http://127.0.0.1:${port}/healthz`)).toBe(true);
      expect(await reachable(`http://${external as string}:${port}/healthz`)).toBe(false);
      await sidecar.close();
      sidecar = await start({ INFERTRACE_ADMIN_HOST: '0.0.0.0' });
      expect(await reachable(`http://${external as string}:${new URL(sidecar.adminUrl).port}/healthz`)).toBe(true);
    },
  );
});
