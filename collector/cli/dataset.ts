import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { EXIT } from '../../shared/exit-codes.js';
import { FORMATS, type DatasetFormat } from '../datasets/dataset-query.js';
import { TOKEN_HELP } from './client-token.js';
import type { CliIo } from './collector-client.js';
import { connect, DEFAULT_COLLECTOR, parseCommandLine, usageError } from './collector-client.js';
import { ProgressBar } from './progress-bar.js';

/**
 * `infertrace dataset export --model M [--out F] [--format csv|jsonl|parquet] [filters]`: downloads
 * the collector's `GET /api/datasets/{model}` to a file as it streams (a progress bar on stderr
 * when it is a terminal), then the manifest of the same query — its range pinned by the
 * collector — to `F.manifest.json` beside it. Both files are 0600: they hold captured values.
 *
 * Exit codes: 0 written; 64 usage; 69 collector unreachable; 73 cannot write F; 76 collector error
 * (also when the download broke off).
 */
const USAGE = `Usage: infertrace dataset export --model M [options]

Writes a model's captured traffic as a training dataset: one row per captured row, with its input
features, predictions, joined label, request id, trace id, time and model version; and a manifest
(query, row count, time range, drift of each window, privacy rules) in F.manifest.json.

  --model M              the model (ml.model.name, or the sidecar's service name)   [required]
  --out F                the file (default: <model>.<format>; "-" writes to stdout, no manifest)
  --format F             csv (default), jsonl or parquet
  --window D             the range, ending now (default 24h), e.g. 7d
  --start T, --end T     the range as epoch ms or RFC 3339 times (instead of --window)
  --version V            one model version
  --slice KEY=VALUE      only rows with this span attribute value (repeatable), e.g. ml.input.country=FR
  --labeled L            include (default: label column, empty when none), only, none
  --drift S              keep (default), drop (rows of drifted windows), mark (a drifted column)
  --drift-window D       the windows drift is judged in (default 1h)
  --reference R          what each window is compared with, as for infertrace drift
  --since last-drift-resolved   start when the model's latest drift alert resolved
  --collector URL        the collector (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
${TOKEN_HELP}  -h, --help             this text

Exit codes: 0 written, 64 usage, 69 collector unreachable, 73 cannot write the file, 76 collector error.
`;
const COMMAND = { name: 'dataset', usage: USAGE };

const OPTIONS = {
  model: { type: 'string' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  window: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  version: { type: 'string' },
  slice: { type: 'string', multiple: true },
  labeled: { type: 'string' },
  drift: { type: 'string' },
  'drift-window': { type: 'string' },
  reference: { type: 'string' },
  since: { type: 'string' },
  collector: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const QUERY_KEYS = ['format', 'window', 'start', 'end', 'version', 'labeled', 'drift', 'reference', 'since'] as const;
const NEWLINE = 0x0a;
/** The manifest reads the range twice again; the download itself has no time limit. */
const MANIFEST_TIMEOUT_MS = 300_000;

function countLines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n += 1;
  return n;
}

export async function run(argv: string[], io: CliIo = process): Promise<number> {
  const parsed = parseCommandLine(COMMAND, io, { args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'export')
    return usageError(COMMAND, io, `the only sub-command is "export", got "${positionals.join(' ')}"`);
  if (values.model === undefined || values.model === '') return usageError(COMMAND, io, '--model is required');
  const format = (values.format ?? 'csv') as DatasetFormat;
  if (!FORMATS.includes(format))
    return usageError(COMMAND, io, `--format must be csv, jsonl or parquet, got "${format}"`);
  const client = connect(COMMAND, io, values.collector, MANIFEST_TIMEOUT_MS, values.token);
  if (typeof client === 'number') return client;

  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (values[key] !== undefined) query.set(key, values[key]);
  if (values['drift-window'] !== undefined) query.set('drift_window', values['drift-window']);
  for (const s of values.slice ?? []) query.append('slice', s);
  const path = `/api/datasets/${encodeURIComponent(values.model)}`;

  let res: Response;
  try {
    res = await client.open(`${path}?${query.toString()}`, '*/*');
  } catch (err) {
    return client.unreachable(err);
  }
  if (res.status !== 200 || res.body === null) {
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return client.collectorError({ status: res.status, body, text }, 'the dataset API');
  }

  const toStdout = values.out === '-';
  const out = values.out ?? `${values.model.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
  const expected = Number(res.headers.get('x-dataset-rows-expected') ?? Number.NaN);
  const bar = new ProgressBar(io.stderr as { write(t: string): unknown; isTTY?: boolean });
  const countsRows = format !== 'parquet';
  let rows = format === 'csv' ? -1 : 0; // the CSV header is a line too
  let bytes = 0;
  const sink = toStdout ? undefined : createWriteStream(out, { mode: 0o600 });
  try {
    if (sink !== undefined) await once(sink, 'open');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (countsRows) rows += countLines(chunk);
      if (sink === undefined)
        (io.stdout as unknown as { write(chunk: Uint8Array): unknown }).write(chunk); // process.stdout takes bytes
      else if (!sink.write(chunk)) await once(sink, 'drain');
      bar.update({
        rows: countsRows ? Math.max(rows, 0) : undefined,
        expectedRows: Number.isNaN(expected) ? undefined : expected,
        bytes,
      });
    }
    if (sink !== undefined)
      await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    sink?.destroy();
    if (sink !== undefined) rmSync(out, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E(ACCES|NOENT|ROFS|NOSPC|ISDIR|PERM)/.test(code)) {
      io.stderr.write(`infertrace dataset: cannot write ${out}: ${(err as Error).message}\n`);
      return EXIT.cannotWrite;
    }
    io.stderr.write(`infertrace dataset: the download from ${client.base} broke off: ${(err as Error).message}\n`);
    return EXIT.collectorError;
  }
  bar.update(
    {
      rows: countsRows ? Math.max(rows, 0) : undefined,
      expectedRows: Number.isNaN(expected) ? undefined : expected,
      bytes,
    },
    true,
  );
  if (toStdout) return EXIT.ok;

  const pinned = res.headers.get('x-dataset-query') ?? query.toString();
  const manifestFile = `${out}.manifest.json`;
  try {
    const answer = await client.get(`${path}/manifest?${pinned}`);
    if (answer.status !== 200) return client.collectorError(answer, 'the dataset API');
    writeFileSync(manifestFile, `${JSON.stringify(answer.body, null, 2)}\n`, { mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined) {
      io.stderr.write(`infertrace dataset: cannot write ${manifestFile}: ${(err as Error).message}\n`);
      return EXIT.cannotWrite;
    }
    return client.unreachable(err);
  }
  const counted = countsRows ? `${Math.max(rows, 0).toLocaleString('en')} rows, ` : '';
  io.stderr.write(
    `infertrace dataset: wrote ${counted}${bytes.toLocaleString('en')} bytes to ${out}; manifest ${manifestFile}\n`,
  );
  return EXIT.ok;
}
