import type { CollectorPlugin } from '../app.js';
import type { DestinationStats } from './forwarder.js';

/**
 * `GET /api/export/status`: each forwarding destination with its waiting, sent and dropped spans
 * (dropped because its outbox was full, or refused by the destination), its last error and when
 * it is tried next.
 */
export function exportStatusPlugin(forwarding: { stats(): DestinationStats[] }): CollectorPlugin {
  return {
    name: 'export-status',
    register(app) {
      app.get('/api/export/status', async () => ({ destinations: forwarding.stats() }));
    },
  };
}
