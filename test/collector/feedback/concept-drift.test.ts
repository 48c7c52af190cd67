import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../collector/app.js';
import { feedbackPlugin } from '../../../collector/feedback/feedback-routes.js';
import { FeedbackService } from '../../../collector/feedback/feedback-service.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import { DAY, HOUR, predictionTrace, T } from './feedback-fixtures.js';
import { memorySpanStore } from '../support/memory-db.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-concept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A model that learnt "amount > 50 → fraud". On day 1 the world agrees. On day 2 fraudsters in
 * the "us" region change tactics: for every us request the true label is the opposite of what the
 * model predicts (the relationship between inputs and labels changed), while eu is unchanged.
 */
describe('concept drift shows as an accuracy drop in the feedback join', () => {
  it('accuracy falls on day 2 by the share of flipped labels, and slicing by region finds where', async () => {
    const db = openDatabase({ path: join(dir, 'collector.db') }, withSpanTables(AREA_SCHEMA_STEPS));
    const spans = memorySpanStore();
    const now = T + 3 * DAY;
    const service = new FeedbackService({ spans, store: createSqliteFeedbackStore(db), clock: () => now });
    const app = buildApp({ store: spans, plugins: [feedbackPlugin({ service: () => service, clock: () => now })] });
    try {
      const feedback: { request_id: string; label: string; timestamp: number }[] = [];
      const flipped = [0, 0];
      const perDay = [0, 0];
      for (let day = 0; day < 2; day++) {
        for (let i = 0; i < 120; i++) {
          const id = `d${day}-${i}`;
          const region = i % 2 === 0 ? 'eu' : 'us';
          const amount = (i * 37) % 100;
          const predicted = amount > 50 ? 'fraud' : 'ok';
          const atMs = T + day * DAY + (i % 24) * HOUR;
          await spans.writeSpans(
            predictionTrace({
              requestId: id,
              atMs,
              attributes: { 'ml.input.amount': amount, 'ml.input.region': region, 'ml.output.label': predicted },
            }),
          );
          const flip = day === 1 && region === 'us';
          if (flip) flipped[day]! += 1;
          perDay[day]! += 1;
          const truth = flip ? (predicted === 'fraud' ? 'ok' : 'fraud') : predicted;
          feedback.push({ request_id: id, label: truth, timestamp: atMs + 2 * DAY });
        }
      }
      const res = await app.inject({ method: 'POST', url: '/api/feedback', payload: feedback });
      expect(res.json()).toMatchObject({ accepted: feedback.length, joined: feedback.length, unknownRequestIds: [] });

      const url = `/api/models/fraud/performance?start=${T}&end=${T + 2 * DAY}&step=1d`;
      const body = (await app.inject({ url })).json();
      const [day1, day2] = body.series[0].points;
      expect(day1.classification.accuracy).toBe(1);
      expect(day2.classification.accuracy).toBe((perDay[1]! - flipped[1]!) / perDay[1]!);
      expect(day2.classification.accuracy).toBeLessThan(day1.classification.accuracy);

      const byRegion = (await app.inject({ url: `${url}&slice=ml.input.region` })).json();
      const accuracy = Object.fromEntries(
        byRegion.series.map((s: { slice: string; points: { classification: { accuracy: number } }[] }) => [
          s.slice,
          s.points.map((p) => p.classification.accuracy),
        ]),
      );
      expect(accuracy).toEqual({ eu: [1, 1], us: [1, 0] });
      // Label drift of the us slice: its labels are now the opposite classes of day 1.
      const us = byRegion.series.find((s: { slice: string }) => s.slice === 'us');
      expect(us.points[1].labelDrift.labels.statistics.jensen_shannon).toBeGreaterThan(0);
    } finally {
      await app.close();
      db.close();
    }
  });
});
