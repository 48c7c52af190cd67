/** The sub-commands of `infertrace`, loaded on demand so each starts only what it needs. */
interface CommandModule {
  /** Runs the command; resolves to the exit code, or undefined while a server keeps running. */
  run(argv: string[]): Promise<number | undefined>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Command[] = [
  {
    name: 'up',
    usage: 'up [--port N] [--demo N]',
    summary: 'run everything on this machine: collector (SQLite), example model, sidecar in front of it',
    load: () => import('./up.js'),
  },
  {
    name: 'sidecar',
    usage: 'sidecar --upstream URL',
    summary: 'trace every call to a model server (reverse proxy beside the model container)',
    load: () => import('../sidecar/cli.js'),
  },
  {
    name: 'example-model',
    usage: 'example-model [--port N] [--host ADDR]',
    summary: 'run the bundled example model server (Open Inference Protocol), for demos and benchmarks',
    load: () => import('../sidecar/example-model-cli.js'),
  },
  {
    name: 'collector',
    usage: 'collector [--port N] [--db FILE]',
    summary: 'receive (OTLP/HTTP, Zipkin), store and serve traces',
    load: () => import('../collector/cli/collector.js'),
  },
  {
    name: 'trace',
    usage: 'trace <request-id|trace-id> [--collector URL] [--json]',
    summary: 'print the call tree of one request or trace from the collector',
    load: () => import('../collector/cli/trace.js'),
  },
  {
    name: 'export',
    usage: 'export <trace-id> --format otlp|jaeger|zipkin [--out FILE]',
    summary: 'write one trace as OTLP/JSON, Jaeger JSON or Zipkin v2 JSON',
    load: () => import('../collector/cli/export.js'),
  },
  {
    name: 'token',
    usage: 'token --name NAME --scopes ingest,read',
    summary: 'make a collector access token and its tokens-file line (the file holds only the hash)',
    load: () => import('../collector/auth/token-command.js'),
  },
  {
    name: 'subject',
    usage: 'subject id|erase|status …',
    summary: "a data subject's rights: their pseudonyms, erasure (Art. 17), the audit log of requests",
    load: () => import('../collector/cli/subject.js'),
  },
  {
    name: 'drift',
    usage: 'drift --model M [--window 1h] [--reference previous|training] [--json]',
    summary: "compare a model's inputs and predictions with a reference, per feature",
    load: () => import('../collector/cli/drift.js'),
  },
];
