import type { RequestJson, TraceJson } from '../query/trace-json.js';
import { renderRequest, renderTrace } from '../query/render-tree.js';
import type { CliIo } from './collector-client.js';
import { EXIT } from '../../shared/exit-codes.js';
import { connect, DEFAULT_COLLECTOR, errorOf, parseCommandLine, usageError } from './collector-client.js';
import { TOKEN_HELP } from './client-token.js';

/**
 * `infertrace trace <request-id|trace-id> [--collector URL] [--json]`: asks the collector's query
 * API for a trace and prints its call tree. An argument of 16 or 32 hex digits is tried as a trace
 * id first, then as a request id (`ml.request.id`); anything else is a request id.
 *
 * Exit codes (shared/exit-codes.ts): 0 printed; 1 not found; 64 usage (bad flags or URL); 69 collector
 * unreachable; 76 the collector answered with an error.
 */

const TIMEOUT_MS = 15_000;

const USAGE = `Usage: infertrace trace <request-id|trace-id> [--collector URL] [--json]

Prints the call tree of one request: every span with its service, operation, kind, duration,
offset from the start, status, and the captured ml.* attributes, then the trace's warnings.

  <request-id|trace-id>  the x-request-id the sidecar echoed, or a trace id (16 or 32 hex digits)
  --collector URL        the collector's query API (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
${TOKEN_HELP}  --json                 print the API's JSON instead of the tree
  -h, --help             this text

Exit codes: 0 found, 1 not found, 64 usage, 69 collector unreachable, 76 collector error.
`;
const COMMAND = { name: 'trace', usage: USAGE };
const QUERY_API = 'the query API';

export async function run(argv: string[], io: CliIo = process): Promise<number> {
  const parsed = parseCommandLine(COMMAND, io, {
    args: argv,
    allowPositionals: true,
    options: {
      collector: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] === '') {
    return usageError(
      COMMAND,
      io,
      positionals.length === 0 ? 'give a request id or a trace id' : `give one id, got ${positionals.length}`,
    );
  }
  const id = positionals[0] as string;
  const client = connect(COMMAND, io, values.collector, TIMEOUT_MS, values.token);
  if (typeof client === 'number') return client;

  try {
    if (/^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(id)) {
      const trace = await client.get(`/api/traces/${id.toLowerCase()}`);
      if (trace.status === 200 && hasKey(trace.body, 'spans')) {
        return print(io, trace.body, values.json === true, (b) => renderTrace(b as TraceJson));
      }
      const code = errorOf(trace.body)?.code;
      if (code !== 'trace_not_found' && code !== 'invalid_parameter') return client.collectorError(trace, QUERY_API);
    }
    const request = await client.get(`/api/requests/${encodeURIComponent(id)}`);
    if (request.status === 200 && hasKey(request.body, 'traces')) {
      return print(io, request.body, values.json === true, (b) => renderRequest(b as RequestJson));
    }
    // Only the query API's own "not found" (not some other server's 404).
    if (errorOf(request.body)?.code === 'request_not_found') {
      io.stderr.write(
        `infertrace trace: no trace or request "${id}" at ${client.base}.\n` +
          `  Check the id: the x-request-id the sidecar returned, or a trace id of 32 hex digits.\n` +
          `  Spans are exported in batches, so a request from the last few seconds may not have arrived yet; try again shortly.\n`,
      );
      return EXIT.notFound;
    }
    return client.collectorError(request, QUERY_API);
  } catch (err) {
    return client.unreachable(err);
  }
}

function print(io: CliIo, body: unknown, json: boolean, render: (body: unknown) => string): number {
  io.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : render(body));
  return EXIT.ok;
}

function hasKey(body: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && key in body;
}
