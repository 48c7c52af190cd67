import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startOtlpReceiver } from './support/otlp-receiver.js';
import { startTestSidecar } from './support/sidecar-harness.js';
import { startUpstream, until } from './support/upstream.js';

describe('close()', () => {
  it('cuts requests still running at the drain timeout, records them and flushes their spans', async () => {
    const receiver = await startOtlpReceiver();
    const upstream = await startUpstream(() => undefined); // never answers
    const sidecar = await startTestSidecar(upstream.url, {
      INFERTRACE_DRAIN_TIMEOUT: '100ms',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    try {
      const pending = request(`${sidecar.url}/hang`, { headers: { 'x-request-id': 'cut-1' } });
      pending.catch(() => undefined);
      await until(() => upstream.received.length === 1);
      await sidecar.close();
      await expect(pending).rejects.toThrow();
      const server = receiver.spans.find((s) => s.attributes['ml.request.id'] === 'cut-1');
      expect(server?.attributes['error.type']).toBe('client_aborted');
      expect(sidecar.metrics.inFlight).toBe(0);
    } finally {
      await upstream.close();
      await receiver.close();
    }
  });
});
