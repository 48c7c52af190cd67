import { describe, expect, it } from 'vitest';
import { parseOutputs, readFeedbackSettings } from '../../../collector/feedback/feedback-settings.js';
import { configProblems } from '../support/config-problems.js';

describe('feedback settings', () => {
  it.each([
    ['fraud=label', { fraud: 'label' }],
    ['fraud=label, price=ml.output.value', { fraud: 'label', price: 'value' }],
    ['', {}],
    ['fraud', undefined],
    ['a=b=c', undefined],
  ])('parseOutputs(%j)', (text, expected) => expect(parseOutputs(text)).toEqual(expected));

  it('reads outputs, retry and pending TTL', () => {
    const s = readFeedbackSettings(
      {},
      {
        INFERTRACE_FEEDBACK_OUTPUTS: 'fraud=label',
        INFERTRACE_FEEDBACK_RETRY: '30s',
        INFERTRACE_FEEDBACK_PENDING_TTL: '2d',
      },
    );
    expect(s.outputs).toEqual({ fraud: 'label' });
    expect([s.pending.retryMs, s.pending.pendingTtlMs]).toEqual([30_000, 2 * 86_400_000]);
  });

  it('names every bad setting', () => {
    const found = configProblems(() =>
      readFeedbackSettings({}, { INFERTRACE_FEEDBACK_OUTPUTS: 'x', INFERTRACE_FEEDBACK_RETRY: 'soon' }),
    );
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toMatch(
      /INFERTRACE_FEEDBACK_RETRY[\s\S]*INFERTRACE_FEEDBACK_OUTPUTS|INFERTRACE_FEEDBACK_OUTPUTS[\s\S]*INFERTRACE_FEEDBACK_RETRY/,
    );
  });
});
