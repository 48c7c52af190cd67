import { ConfigReader } from '../../../shared/config.js';
import { createCaptureObserverFactory } from '../../../sidecar/capture/capture-observer.js';
import { readCaptureSettings } from '../../../sidecar/capture/capture-settings.js';
import { loadSidecarConfig } from '../../../sidecar/config.js';
import { startSidecar, type SidecarHandle } from '../../../sidecar/main.js';
import type { ObserverFactory } from '../../../sidecar/proxy/exchange-observer.js';

/**
 * Starts a real sidecar on loopback port 0 (admin too) in front of `upstream`. `env` holds the
 * OTEL_* / INFERTRACE_* variables of the test; by default spans go nowhere and export fast.
 */
export async function startTestSidecar(
  upstream: string,
  env: Record<string, string> = {},
  observe?: ObserverFactory,
  minAttributeCountLimit?: number,
): Promise<SidecarHandle> {
  const config = loadSidecarConfig(
    { upstream, listen: '127.0.0.1:0', 'admin-port': '0' },
    { OTEL_TRACES_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '20', ...env },
  );
  return startSidecar(config, {
    log: () => undefined,
    ...(observe ? { observe } : {}),
    ...(minAttributeCountLimit ? { minAttributeCountLimit } : {}),
  });
}

/** Header pairs of a raw list, names lower-cased. */
export function headerPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return out;
}

export function headerValues(raw: readonly string[], name: string): string[] {
  return headerPairs(raw)
    .filter(([k]) => k === name)
    .map(([, v]) => v);
}

/**
 * A real sidecar with payload capture on (default settings) in front of `upstream`, exporting its
 * spans over OTLP/HTTP to the collector at `collectorUrl`: the end-to-end tests' pipeline.
 */
export async function startCapturingSidecar(
  upstream: string,
  collectorUrl: string,
  serviceName: string,
): Promise<SidecarHandle> {
  const reader = new ConfigReader({}, {});
  const capture = readCaptureSettings(reader);
  reader.done();
  return startTestSidecar(
    upstream,
    {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collectorUrl}/v1/traces`,
      OTEL_SERVICE_NAME: serviceName,
    },
    createCaptureObserverFactory(capture),
  );
}
