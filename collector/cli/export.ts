import { writeFile } from 'node:fs/promises';
import { normaliseTraceId } from '../../shared/ids.js';
import { JAEGER_API_PREFIX } from '../jaeger/jaeger-query-routes.js';
import type { Answer, CliIo } from './collector-client.js';
import { EXIT } from '../../shared/exit-codes.js';
import { connect, DEFAULT_COLLECTOR, errorOf, parseCommandLine, usageError } from './collector-client.js';
import { TOKEN_HELP } from './client-token.js';

/**
 * `infertrace export <trace-id> --format otlp|jaeger|zipkin [--collector URL] [--out FILE]`:
 * fetches one trace from the collector (`GET /api/traces/{id}?format=...`) and writes it as
 * OTLP/JSON (an ExportTraceServiceRequest), a Jaeger JSON document (`{"data":[trace]}`, which the
 * Jaeger UI's "JSON File" tab loads) or a Zipkin v2 span list (which Zipkin Lens uploads).
 * A collector whose query route ignores `format` is asked through its Jaeger- or Zipkin-compatible
 * route instead.
 *
 * Exit codes (shared/exit-codes.ts): 0 written; 1 not found; 64 usage; 69 collector unreachable;
 * 73 the output file cannot be written; 76 the collector answered with an error.
 */

export const FORMATS = ['otlp', 'jaeger', 'zipkin'] as const;
export type ExportFormat = (typeof FORMATS)[number];
const TIMEOUT_MS = 15_000;

const USAGE = `Usage: infertrace export <trace-id> --format otlp|jaeger|zipkin [--collector URL] [--out FILE]

Writes one trace from the collector in another tool's format:
  otlp    OTLP/JSON ExportTraceServiceRequest (POST it to any OTLP/HTTP receiver, e.g. Jaeger on :4318)
  jaeger  Jaeger JSON {"data":[trace]} (Jaeger UI: Search → "JSON File" → drop the file)
  zipkin  Zipkin v2 JSON span list (Zipkin Lens: "Upload JSON"; or POST it to /api/v2/spans)

  <trace-id>         16 or 32 hex digits (find it with "infertrace trace <request-id>")
  --format F         otlp, jaeger or zipkin (required)
  --collector URL    the collector's query API (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
${TOKEN_HELP}  --out FILE         write to FILE instead of standard output
  -h, --help         this text

Exit codes: 0 written, 1 not found, 64 usage, 69 collector unreachable, 73 cannot write FILE, 76 collector error.
`;
const COMMAND = { name: 'export', usage: USAGE };

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

export async function run(argv: string[], io: CliIo = process): Promise<number> {
  const parsed = parseCommandLine(COMMAND, io, {
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      collector: { type: 'string' },
      token: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    return usageError(
      COMMAND,
      io,
      positionals.length === 0 ? 'give a trace id' : `give one trace id, got ${positionals.length}`,
    );
  const given = positionals[0] as string;
  const traceId = /^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(given) ? normaliseTraceId(given) : undefined;
  if (traceId === undefined) {
    return usageError(
      COMMAND,
      io,
      `"${given}" is not a trace id (16 or 32 hex digits); for a request id, find its trace with "infertrace trace ${given}"`,
    );
  }
  const format = values.format as ExportFormat | undefined;
  if (format === undefined || !FORMATS.includes(format)) {
    return usageError(
      COMMAND,
      io,
      format === undefined ? '--format is required' : `--format must be one of ${FORMATS.join(', ')}, got "${format}"`,
    );
  }
  const client = connect(COMMAND, io, values.collector, TIMEOUT_MS, values.token);
  if (typeof client === 'number') return client;

  let answer: Answer;
  try {
    answer = await client.get(`/api/traces/${traceId}?format=${format}`);
    const fallback = fallbackPath(format, traceId);
    if (answer.status === 200 && !hasShape(format, answer.body) && fallback !== undefined) {
      answer = await client.get(fallback);
    }
  } catch (err) {
    return client.unreachable(err);
  }
  if (answer.status === 404 && errorOf(answer.body)?.code === 'trace_not_found') {
    io.stderr.write(
      `infertrace export: no trace ${traceId} at ${client.base}. Spans are exported in batches, so a trace from the ` +
        `last few seconds may not have arrived yet; retention may also have removed it.\n`,
    );
    return EXIT.notFound;
  }
  if (answer.status !== 200 || !hasShape(format, answer.body)) {
    const notThisFormat = `the answer is not ${format} JSON (does this collector support ?format=${format}?)`;
    return client.collectorError(answer, 'the query API', answer.status === 200 ? notThisFormat : undefined);
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
