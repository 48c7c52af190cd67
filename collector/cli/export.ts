import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader } from '../../shared/config.js';
import { normaliseTraceId } from '../../shared/ids.js';
import { JAEGER_API_PREFIX } from '../compat/jaeger-query-routes.js';

/**
 * `infertrace export <trace-id> --format otlp|jaeger|zipkin [--collector URL] [--out FILE]`:
 * fetches one trace from the collector (`GET /api/traces/{id}?format=...`) and writes it as
 * OTLP/JSON (an ExportTraceServiceRequest), a Jaeger JSON document (`{"data":[trace]}`, which the
 * Jaeger UI's "JSON File" tab loads) or a Zipkin v2 span list (which Zipkin Lens uploads).
 * A collector whose query route ignores `format` is asked through its Jaeger- or Zipkin-compatible
 * route instead.
 *
 * Exit codes: 0 written; 1 not found; 2 collector unreachable; 3 the collector answered with an
 * error; 64 usage; 73 the output file cannot be written.
 */
export const EXIT = { ok: 0, notFound: 1, unreachable: 2, collectorError: 3, usage: 64, cannotWrite: 73 } as const;

export const DEFAULT_COLLECTOR = 'http://localhost:4318';
export const FORMATS = ['otlp', 'jaeger', 'zipkin'] as const;
export type ExportFormat = (typeof FORMATS)[number];
const TIMEOUT_MS = 15_000;

export interface ExportCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: infertrace export <trace-id> --format otlp|jaeger|zipkin [--collector URL] [--out FILE]

Writes one trace from the collector in another tool's format:
  otlp    OTLP/JSON ExportTraceServiceRequest (POST it to any OTLP/HTTP receiver, e.g. Jaeger on :4318)
  jaeger  Jaeger JSON {"data":[trace]} (Jaeger UI: Search → "JSON File" → drop the file)
  zipkin  Zipkin v2 JSON span list (Zipkin Lens: "Upload JSON"; or POST it to /api/v2/spans)

  <trace-id>         16 or 32 hex digits (find it with "infertrace trace <request-id>")
  --format F         otlp, jaeger or zipkin (required)
  --collector URL    the collector's query API (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
  --out FILE         write to FILE instead of standard output
  -h, --help         this text

Exit codes: 0 written, 1 not found, 2 collector unreachable, 3 collector error, 64 usage, 73 cannot write FILE.
`;

/** Whether a body has the shape of the format (so a collector that ignored `format` is noticed). */
export function hasShape(format: ExportFormat, body: unknown): boolean {
  if (format === 'zipkin') return Array.isArray(body);
  const key = format === 'jaeger' ? 'data' : 'resourceSpans';
  return typeof body === 'object' && body !== null && Array.isArray((body as Record<string, unknown>)[key]);
}

/** Where each format can also be had from the compatible read APIs. */
function fallbackPath(format: ExportFormat, traceId: string): string | undefined {
  if (format === 'jaeger') return `${JAEGER_API_PREFIX}/api/traces/${traceId}`;
  if (format === 'zipkin') return `/api/v2/trace/${traceId}`;
  return undefined;
}

export async function run(argv: string[], io: ExportCliIo = process): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        collector: { type: 'string' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) return usage(io, positionals.length === 0 ? 'give a trace id' : `give one trace id, got ${positionals.length}`);
  const given = positionals[0] as string;
  const traceId = /^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(given) ? normaliseTraceId(given) : undefined;
  if (traceId === undefined) {
    return usage(io, `"${given}" is not a trace id (16 or 32 hex digits); for a request id, find its trace with "infertrace trace ${given}"`);
  }
  const format = values.format as ExportFormat | undefined;
  if (format === undefined || !FORMATS.includes(format)) {
    return usage(io, format === undefined ? '--format is required' : `--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  }
  const config = new ConfigReader({ collector: values.collector }, io.env);
  const base = config.url({ flag: 'collector', env: 'INFERTRACE_COLLECTOR' }, DEFAULT_COLLECTOR) as string;
  try {
    config.done();
  } catch (err) {
    return usage(io, err instanceof ConfigError ? err.problems.join('; ') : String(err));
  }

  let answer: Answer;
  try {
    answer = await getJson(`${base}/api/traces/${traceId}?format=${format}`);
    const fallback = fallbackPath(format, traceId);
    if (answer.status === 200 && !hasShape(format, answer.body) && fallback !== undefined) {
      answer = await getJson(`${base}${fallback}`);
    }
  } catch (err) {
    io.stderr.write(
      `infertrace export: cannot reach the collector at ${base} (${reason(err)}).\n` +
        `  Is it running? Point --collector or INFERTRACE_COLLECTOR at its URL.\n`,
    );
    return EXIT.unreachable;
  }
  if (answer.status === 404 && errorCode(answer.body) === 'trace_not_found') {
    io.stderr.write(
      `infertrace export: no trace ${traceId} at ${base}. Spans are exported in batches, so a trace from the ` +
        `last few seconds may not have arrived yet; retention may also have removed it.\n`,
    );
    return EXIT.notFound;
  }
  if (answer.status !== 200 || !hasShape(format, answer.body)) {
    const message = (answer.body as { error?: { message?: unknown } } | undefined)?.error?.message;
    const detail = typeof message === 'string'
      ? message
      : answer.status === 200
        ? `the answer is not ${format} JSON (does this collector support ?format=${format}?)`
        : `not the query API's JSON (is ${base} the collector's URL?): ${answer.text.slice(0, 200).replace(/\s+/g, ' ')}`;
    io.stderr.write(`infertrace export: the collector at ${base} answered ${answer.status}: ${detail}\n`);
    return EXIT.collectorError;
  }

  const text = `${JSON.stringify(answer.body, null, 2)}\n`;
  if (values.out === undefined) {
    io.stdout.write(text);
    return EXIT.ok;
  }
  try {
    await writeFile(values.out, text);
  } catch (err) {
    io.stderr.write(`infertrace export: cannot write ${values.out}: ${(err as Error).message}\n`);
    return EXIT.cannotWrite;
  }
  io.stderr.write(`infertrace export: wrote trace ${traceId} as ${format} to ${values.out}\n`);
  return EXIT.ok;
}

function usage(io: ExportCliIo, problem: string): number {
  io.stderr.write(`infertrace export: ${problem}\n\n${USAGE}`);
  return EXIT.usage;
}

function errorCode(body: unknown): unknown {
  return (body as { error?: { code?: unknown } } | undefined)?.error?.code;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/** GETs JSON; a failure to connect or to answer in time throws (reported as unreachable). */
async function getJson(url: string): Promise<Answer> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined; // not JSON: reported with the text
  }
  return { status: res.status, body, text };
}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
