import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader } from '../../shared/config.js';
import type { RequestJson, TraceJson } from '../query/trace-json.js';
import { renderRequest, renderTrace } from '../query/render-tree.js';

/**
 * `infertrace trace <request-id|trace-id> [--collector URL] [--json]`: asks the collector's query
 * API for a trace and prints its call tree. An argument of 16 or 32 hex digits is tried as a trace
 * id first, then as a request id (`ml.request.id`); anything else is a request id.
 *
 * Exit codes: 0 printed; 1 not found; 2 collector unreachable; 3 the collector answered with an
 * error; 64 usage (bad flags or URL).
 */
export const EXIT = { ok: 0, notFound: 1, unreachable: 2, collectorError: 3, usage: 64 } as const;

export const DEFAULT_COLLECTOR = 'http://localhost:4318';
const TIMEOUT_MS = 15_000;

export interface TraceCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: infertrace trace <request-id|trace-id> [--collector URL] [--json]

Prints the call tree of one request: every span with its service, operation, kind, duration,
offset from the start, status, and the captured ml.* attributes, then the trace's warnings.

  <request-id|trace-id>  the x-request-id the sidecar echoed, or a trace id (16 or 32 hex digits)
  --collector URL        the collector's query API (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
  --json                 print the API's JSON instead of the tree
  -h, --help             this text

Exit codes: 0 found, 1 not found, 2 collector unreachable, 3 collector error, 64 usage.
`;

export async function run(argv: string[], io: TraceCliIo = process): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { collector: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] === '') {
    return usage(io, positionals.length === 0 ? 'give a request id or a trace id' : `give one id, got ${positionals.length}`);
  }
  const id = positionals[0] as string;

  const config = new ConfigReader({ collector: values.collector }, io.env);
  const base = config.url({ flag: 'collector', env: 'INFERTRACE_COLLECTOR' }, DEFAULT_COLLECTOR) as string;
  try {
    config.done();
  } catch (err) {
    return usage(io, err instanceof ConfigError ? err.problems.join('; ') : String(err));
  }

  const client = new QueryClient(base);
  try {
    if (/^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(id)) {
      const trace = await client.get(`/api/traces/${id.toLowerCase()}`);
      if (trace.status === 200 && hasKey(trace.body, 'spans')) {
        return print(io, trace.body, values.json === true, (b) => renderTrace(b as TraceJson));
      }
      if (!isOurs(trace, 'trace_not_found') && !isOurs(trace, 'invalid_parameter')) return collectorError(io, base, trace);
    }
    const request = await client.get(`/api/requests/${encodeURIComponent(id)}`);
    if (request.status === 200 && hasKey(request.body, 'traces')) {
      return print(io, request.body, values.json === true, (b) => renderRequest(b as RequestJson));
    }
    if (isOurs(request, 'request_not_found')) {
      io.stderr.write(
        `infertrace trace: no trace or request "${id}" at ${base}.\n` +
          `  Check the id: the x-request-id the sidecar returned, or a trace id of 32 hex digits.\n` +
          `  Spans are exported in batches, so a request from the last few seconds may not have arrived yet; try again shortly.\n`,
      );
      return EXIT.notFound;
    }
    return collectorError(io, base, request);
  } catch (err) {
    if (err instanceof UnreachableError) {
      io.stderr.write(
        `infertrace trace: cannot reach the collector at ${base} (${err.message}).\n` +
          `  Is it running? Point --collector or INFERTRACE_COLLECTOR at its URL.\n`,
      );
      return EXIT.unreachable;
    }
    throw err;
  }
}

function print(io: TraceCliIo, body: unknown, json: boolean, render: (body: unknown) => string): number {
  io.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : render(body));
  return EXIT.ok;
}

function usage(io: TraceCliIo, problem: string): number {
  io.stderr.write(`infertrace trace: ${problem}\n\n${USAGE}`);
  return EXIT.usage;
}

/** Whether the answer is the query API's own error with this code (not some other server's 404). */
function isOurs(answer: Answer, code: string): boolean {
  return (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code === code;
}

function hasKey(body: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && key in body;
}

function collectorError(io: TraceCliIo, base: string, answer: Answer): number {
  const ours = (answer.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  const detail = typeof ours === 'string'
    ? ours
    : `not the query API's JSON (is ${base} the collector's URL?): ${answer.text.slice(0, 200).replace(/\s+/g, ' ')}`;
  io.stderr.write(`infertrace trace: the collector at ${base} answered ${answer.status}: ${detail}\n`);
  return EXIT.collectorError;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

class UnreachableError extends Error {}

/** GETs JSON from the query API; a failure to connect (or to answer in time) is UnreachableError. */
class QueryClient {
  constructor(private readonly base: string) {}

  async get(path: string): Promise<Answer> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      text = await res.text();
    } catch (err) {
      throw new UnreachableError(reason(err), { cause: err });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined; // not JSON: reported as a collector error with the text
    }
    return { status: res.status, body, text };
  }
}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
