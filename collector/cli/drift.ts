import type { DriftAnswer } from '../drift/drift-json.js';
import { renderDrift } from '../drift/drift-table.js';
import type { RelationshipAnswer } from '../relationships/relationship-service.js';
import { renderRelationships } from '../relationships/relationship-table.js';
import type { Answer, CliIo } from './collector-client.js';
import { EXIT } from '../../shared/exit-codes.js';
import { connect, DEFAULT_COLLECTOR, errorOf, parseCommandLine, usageError } from './collector-client.js';
import { TOKEN_HELP } from './client-token.js';

/**
 * `infertrace drift --model M [--version V] [--window 1h | --start T --end T] [--reference R]
 * [--slice KEY] [--exemplars N] [--collector URL] [--json] [--fail-on-drift] [--relationships [--step D]]`:
 * asks the collector's `GET /api/drift` (with --relationships: `GET /api/relationships`) and prints
 * it as a table.
 *
 * Exit codes: 0 printed; 1 no data (no observations in the window, or no such reference);
 * 69 collector unreachable; 76 the collector answered with another error; 4 dataset drift (only with
 * --fail-on-drift; with --relationships: a pair flagged); 64 usage.
 */
const TIMEOUT_MS = 60_000;

const USAGE = `Usage: infertrace drift --model M [options]

Compares the captured inputs and predictions of a model over a window with a reference and prints,
per feature: type, method, statistic, p-value, threshold, whether it drifted, flags, and the bins
whose share moved most; then exemplar requests behind the drifted features.

  --model M             the model (ml.model.name, or the sidecar's service name)   [required]
  --version V           one model version (default: every version together)
  --window D            the current window, ending now (default 1h), e.g. 15m, 6h, 7d
  --start T, --end T    the current window as epoch ms or RFC 3339 times (instead of --window)
  --reference R         previous | training | window:<start>/<end> | slice:<value>
                        (default: the model's stored reference, else previous)
  --slice KEY           split the report by a span attribute, e.g. ml.model.version
  --exemplars N         exemplar requests per drifted feature (default 3)
  --collector URL       the collector (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
${TOKEN_HELP}  --json                print the API's JSON instead of the table
  --fail-on-drift       exit 4 when the dataset drifted (for CI and cron jobs)
  --relationships       the input–output relationships instead: per (input, output) pair
                        Pearson's r or mutual information, reference vs current, the change,
                        its test (Fisher z / chi-square) and whether it is flagged (p < 0.05)
  --step D              with --relationships --json: each pair's value per step, e.g. 15m
  -h, --help            this text

Exit codes: 0 printed, 1 no data, 4 dataset drift, 64 usage, 69 collector unreachable, 76 collector error
(with --fail-on-drift), 64 usage.
`;
const COMMAND = { name: 'drift', usage: USAGE };

const OPTIONS = {
  model: { type: 'string' },
  version: { type: 'string' },
  window: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  reference: { type: 'string' },
  slice: { type: 'string' },
  exemplars: { type: 'string' },
  collector: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  'fail-on-drift': { type: 'boolean' },
  relationships: { type: 'boolean' },
  step: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const QUERY_KEYS = ['model', 'version', 'window', 'start', 'end', 'reference', 'slice', 'exemplars'] as const;

export async function run(argv: string[], io: CliIo = process): Promise<number> {
  const parsed = parseCommandLine(COMMAND, io, { args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (typeof parsed === 'number') return parsed;
  const values: Record<string, string | boolean | undefined> = parsed.values;
  if (typeof values.model !== 'string' || values.model === '') return usageError(COMMAND, io, '--model is required');
  const client = connect(COMMAND, io, parsed.values.collector, TIMEOUT_MS, parsed.values.token);
  if (typeof client === 'number') return client;

  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (typeof values[key] === 'string') query.set(key, values[key] as string);
  const relationships = values.relationships === true;
  if (typeof values.step === 'string') {
    if (!relationships) return usageError(COMMAND, io, '--step needs --relationships');
    query.set('step', values.step);
  }
  let answer: Answer;
  try {
    answer = await client.get(`${relationships ? '/api/relationships' : '/api/drift'}?${query}`);
  } catch (err) {
    return client.unreachable(err);
  }
  const { status, body } = answer;
  if (relationships && status === 200 && typeof body === 'object' && body !== null && 'pairs' in body) {
    const report = body as RelationshipAnswer;
    io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderRelationships(report));
    return values['fail-on-drift'] === true && report.flagged > 0 ? EXIT.drift : EXIT.ok;
  }
  if (status === 200 && typeof body === 'object' && body !== null && 'features' in body) {
    const report = body as DriftAnswer;
    io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderDrift(report));
    return values['fail-on-drift'] === true && report.datasetDrift ? EXIT.drift : EXIT.ok;
  }
  const error = errorOf(body);
  if (typeof error?.message === 'string') {
    io.stderr.write(`infertrace drift: ${error.message}\n`);
    if (error.code === 'no_observations' || error.code === 'reference_not_found') return EXIT.notFound;
    if (error.code === 'invalid_parameter' || error.code === 'unknown_parameter') return EXIT.usage;
    return EXIT.collectorError;
  }
  return client.collectorError(answer, relationships ? 'the relationships API' : 'the drift API');
}
