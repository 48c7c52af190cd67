import type { CollectorPlugin } from '../app.js';
import type { RetentionPolicy } from './retention-policy.js';

/**
 * The retention policy over HTTP:
 *   GET  /api/retention       (read)  per set of records: rows, the oldest record's time and age,
 *                                     its limit, and whether it is within it; the last pass
 *   POST /api/retention/pass  (admin) runs a pass now and answers what it deleted
 * Nothing personal: table names, counts and times only.
 */
export function retentionPlugin(policy: () => RetentionPolicy): CollectorPlugin {
  return {
    name: 'retention',
    register(app) {
      app.get('/api/retention', async () => policy().status());
      app.post('/api/retention/pass', async () => policy().runPass());
    },
  };
}
