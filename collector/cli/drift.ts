import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader } from '../../shared/config.js';
import type { DriftAnswer } from '../drift/drift-json.js';
import { renderDrift } from '../drift/drift-table.js';

/**
 * `infertrace drift --model M [--version V] [--window 1h | --start T --end T] [--reference R]
 * [--slice KEY] [--exemplars N] [--collector URL] [--json] [--fail-on-drift]`: asks the collector's
 * `GET /api/drift` and prints it as a table.
 *
 * Exit codes: 0 printed; 1 no data (no observations in the window, or no such reference);
 * 2 collector unreachable; 3 the collector answered with another error; 4 dataset drift (only with
 * --fail-on-drift); 64 usage.
 */
export const EXIT = { ok: 0, noData: 1, unreachable: 2, collectorError: 3, drift: 4, usage: 64 } as const;
export const DEFAULT_COLLECTOR = 'http://localhost:4318';
const TIMEOUT_MS = 60_000;

export interface DriftCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

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
  --json                print the API's JSON instead of the table
  --fail-on-drift       exit 4 when the dataset drifted (for CI and cron jobs)
  -h, --help            this text

Exit codes: 0 printed, 1 no data, 2 collector unreachable, 3 collector error, 4 dataset drift
(with --fail-on-drift), 64 usage.
`;

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
  json: { type: 'boolean' },
  'fail-on-drift': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const QUERY_KEYS = ['model', 'version', 'window', 'start', 'end', 'reference', 'slice', 'exemplars'] as const;

export async function run(argv: string[], io: DriftCliIo = process): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (typeof values.model !== 'string' || values.model === '') return usage(io, '--model is required');
  const config = new ConfigReader({ collector: values.collector }, io.env);
  const base = config.url({ flag: 'collector', env: 'INFERTRACE_COLLECTOR' }, DEFAULT_COLLECTOR) as string;
  try {
    config.done();
  } catch (err) {
    return usage(io, err instanceof ConfigError ? err.problems.join('; ') : String(err));
  }

  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (typeof values[key] === 'string') query.set(key, values[key] as string);
  let status: number;
  let text: string;
  try {
    const res = await fetch(`${base}/api/drift?${query}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    status = res.status;
    text = await res.text();
  } catch (err) {
    io.stderr.write(`infertrace drift: cannot reach the collector at ${base} (${reason(err)}).\n  Is it running? Point --collector or INFERTRACE_COLLECTOR at its URL.\n`);
    return EXIT.unreachable;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (status === 200 && typeof body === 'object' && body !== null && 'features' in body) {
    const answer = body as DriftAnswer;
    io.stdout.write(values.json === true ? `${JSON.stringify(answer, null, 2)}\n` : renderDrift(answer));
    return values['fail-on-drift'] === true && answer.datasetDrift ? EXIT.drift : EXIT.ok;
  }
  if (typeof error?.message === 'string') {
    io.stderr.write(`infertrace drift: ${error.message}\n`);
    if (error.code === 'no_observations' || error.code === 'reference_not_found') return EXIT.noData;
    if (error.code === 'invalid_query') return EXIT.usage;
    return EXIT.collectorError;
  }
  io.stderr.write(`infertrace drift: the collector at ${base} answered ${status} with something that is not the drift API's JSON (is it the collector's URL?): ${text.slice(0, 200).replace(/\s+/g, ' ')}\n`);
  return EXIT.collectorError;
}

function usage(io: DriftCliIo, problem: string): number {
  io.stderr.write(`infertrace drift: ${problem}\n\n${USAGE}`);
  return EXIT.usage;
}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
