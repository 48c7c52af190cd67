import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../collector/app.js';
import { alertPlugin } from '../../../collector/alerts/alert-routes.js';
import { readAlertSettings } from '../../../collector/alerts/alert-settings.js';
import { createAlerting } from '../../../collector/alerts/create-alerting.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { feedbackPlugin } from '../../../collector/feedback/feedback-routes.js';
import { FeedbackService } from '../../../collector/feedback/feedback-service.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import { LatencyMetrics } from '../../../collector/metrics/latency/latency-metrics.js';
import { withSpanListeners } from '../../../collector/storage/span-listener.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import { HOUR, predictionTrace, T } from '../feedback/feedback-fixtures.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import { memorySpanStore } from '../support/memory-db.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-accuracy-alert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The whole path, wired as the collector would be: an accuracy rule in the rules file, predictions
 * traced, labels posted to /api/feedback; concept drift (labels flip for half the requests of the
 * second hour) fires the alert, the webhook gets the cause with exemplar request ids, and each
 * exemplar resolves to its trace.
 */
describe('an accuracy alert from a rules file, fed by feedback', () => {
  it('fires on a simulated concept drift with exemplars that open the wrong predictions', async () => {
    const hook = await startWebhookReceiver();
    const rulesFile = join(dir, 'rules.yaml');
    writeFileSync(
      rulesFile,
      [
        'receivers:',
        `  - { name: ops, url: "${hook.url}/hooks/infertrace" }`,
        'rules:',
        '  - { id: fraud-accuracy, metric: accuracy, model: fraud, comparison: "<", threshold: 0.8, window: 1h, min_count: 20, severity: critical }',
      ].join('\n'),
    );
    const db = openDatabase({ path: join(dir, 'collector.db') }, withSpanTables(AREA_SCHEMA_STEPS));
    let now = T + HOUR;
    const latency = new LatencyMetrics({}, () => now);
    const spans = withSpanListeners(memorySpanStore(), [latency]);
    const feedback = new FeedbackService({ spans, store: createSqliteFeedbackStore(db), clock: () => now });
    const engine = createAlerting({
      store: createSqliteAlertStore(db),
      settings: readAlertSettings(
        {},
        { INFERTRACE_ALERT_RULES: rulesFile, INFERTRACE_EXTERNAL_URL: 'http://collector:4318' },
      ),
      latency,
      feedback: feedback.store,
      clock: () => now,
    });
    const app = buildApp({
      store: spans,
      plugins: [feedbackPlugin({ service: () => feedback, clock: () => now }), alertPlugin({ engine: () => engine })],
    });
    try {
      expect(engine.metrics()).toEqual(['accuracy', 'error_rate', 'latency_quantile', 'mae', 'rmse']);
      const flippedIds = new Set<string>();
      const traffic = async (hour: number, flip: boolean): Promise<void> => {
        const labels = [];
        for (let i = 0; i < 40; i++) {
          const id = `h${hour}-${i}`;
          const predicted = i % 3 === 0 ? 'fraud' : 'ok';
          await spans.writeSpans(
            predictionTrace({
              requestId: id,
              atMs: T + hour * HOUR + i * 60_000,
              attributes: { 'ml.output.label': predicted },
            }),
          );
          const flipped = flip && i % 2 === 1;
          if (flipped) flippedIds.add(id);
          labels.push({ request_id: id, label: flipped ? (predicted === 'fraud' ? 'ok' : 'fraud') : predicted });
        }
        const res = await app.inject({ method: 'POST', url: '/api/feedback', payload: labels });
        expect(res.json()).toMatchObject({ joined: 40, unknownRequestIds: [] });
      };

      await traffic(0, false);
      now = T + HOUR;
      await engine.tick();
      expect(hook.requests).toHaveLength(0);

      await traffic(1, true);
      now = T + 2 * HOUR;
      await engine.tick();
      expect(hook.requests).toHaveLength(1);
      const sent = hook.requests[0]!;
      expect(sent.path).toBe('/hooks/infertrace');
      const alert = (sent.body as { alert: { cause: Record<string, unknown> } }).alert;
      expect(alert.cause).toMatchObject({
        metric: 'accuracy',
        model: 'fraud',
        value: 0.5,
        threshold: 0.8,
        comparison: '<',
        count: 40,
      });
      const exemplars = alert.cause['exemplarRequestIds'] as string[];
      expect(exemplars.length).toBeGreaterThan(0);
      for (const id of exemplars) {
        expect(flippedIds.has(id)).toBe(true);
        const [traceId] = await spans.findTraceIdsByRequestId(id);
        expect(alert.cause['exemplarTraceIds']).toContain(traceId);
      }
      const listed = (await app.inject({ url: '/api/alerts?state=firing' })).json();
      expect(
        listed.alerts.map((a: { rule: string; notifications: { status: string }[] }) => [
          a.rule,
          a.notifications.map((n) => n.status),
        ]),
      ).toEqual([['fraud-accuracy', ['delivered']]]);
    } finally {
      await app.close();
      await hook.close();
      db.close();
    }
  });
});
