/**
 * The capture benchmarks' payload (issue 3): 100 numeric and 10 free-text features, batch of 8,
 * as an Open Inference Protocol request and the model's answer, plus a rules file that drops,
 * masks, pseudonymises and generalises. Shared by bench/capture.ts (in process) and
 * bench/sidecar.ts (over HTTP), so both measure the same bytes.
 */

export const ROWS = 8;
export const NUMERIC = 100;
export const STRINGS = 10;

/** Free text: two of the five carry PII (a phone number, an e-mail address) for the scan to mask. */
const TEXTS = [
  'customer asked about the premium plan and renewal dates',
  'please call me back at +44 20 7946 0958 after lunch',
  'no complaints, delivery was on time and well packed',
  'send the invoice to billing.team@example.com this week',
  'returned item because the size did not fit as expected',
];

export const FEATURE_NAMES = [
  ...Array.from({ length: NUMERIC }, (_, f) => `f${f}`),
  ...Array.from({ length: STRINGS }, (_, f) => `note${f}`),
];

/** One row per batch entry: NUMERIC numbers, then STRINGS texts. */
export const TABLE: (number | string)[][] = Array.from({ length: ROWS }, (_, r) => [
  ...Array.from({ length: NUMERIC }, (_, f) => Math.round((r * 31 + f * 7.3) % 1000) / 10),
  ...Array.from({ length: STRINGS }, (_, f) => TEXTS[(r + f) % TEXTS.length] as string),
]);

/** The model the payload is sent to (bench/sidecar-servers.ts serves it beside the example model). */
export const WIDE_MODEL = 'wide';
export const WIDE_PATH = `/v2/models/${WIDE_MODEL}/infer`;

export const OIP_REQUEST = JSON.stringify({
  id: 'bench-1',
  inputs: FEATURE_NAMES.map((name, f) => ({
    name,
    shape: [ROWS],
    datatype: f < NUMERIC ? 'FP32' : 'BYTES',
    data: TABLE.map((row) => row[f]),
  })),
});

/** What the model answers: a label and a score per row. */
export function oipResponse(scores: readonly number[], model = WIDE_MODEL): Record<string, unknown> {
  return {
    model_name: model,
    model_version: '1',
    outputs: [
      {
        name: 'label',
        shape: [scores.length],
        datatype: 'BYTES',
        data: scores.map((s) => (s >= 0.5 ? 'churn' : 'stay')),
      },
      { name: 'score', shape: [scores.length], datatype: 'FP32', data: scores.map((s) => Math.round(s * 1e4) / 1e4) },
    ],
  };
}

/** Rules that exercise every action; every other feature is kept and its text scanned for PII. */
export const RULES = `
rules:
  - { match: f0, action: drop }
  - { match: f1, action: mask }
  - { match: f2, action: pseudonymise }
  - { match: f3, action: generalise, width: 10 }
`;

/** A fixed bench-only HMAC key (the sidecar refuses to pseudonymise without one). */
export const HMAC_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef';
