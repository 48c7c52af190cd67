import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCollectorConfig } from '../collector/config.js';
import { startCollector } from '../collector/main.js';
import { ConfigError } from '../shared/config.js';
import { loadSidecarSetup } from '../sidecar/cli.js';
import { startExampleModel } from '../sidecar/example-model.js';
import { startSidecar } from '../sidecar/main.js';
import { DEFAULT_DATA_DIR, localSecretPaths } from '../shared/local-secrets.js';
import { sendDemoTraffic } from './demo-traffic.js';
import { EXIT } from '../shared/exit-codes.js';
import { ensureLocalSecrets } from './ensure-local-secrets.js';

/**
 * `infertrace up`: the whole product on one machine — a collector with embedded SQLite, the
 * bundled example model, and a sidecar in front of it exporting to the collector. Every other
 * setting of the sidecar and collector is still read from its environment variable.
 * On first run it makes tokens and a pseudonymisation key in the data folder (ensure-local-secrets.ts):
 * the collector requires the tokens, the sidecar sends its own, the CLI finds its own.
 */
const HELP = `Usage: infertrace up [options]

Starts a collector (embedded SQLite), the bundled example model and a sidecar in front of it.

Options:
  --host ADDR            address all three listen on (default 127.0.0.1)
  --port N               the sidecar, where clients call the model (default 8080)
  --admin-port N         the sidecar's /healthz, /readyz, /metrics (default 9464)
  --collector-port N     OTLP/Zipkin ingest, query API, UIs' APIs (default 4318)
  --model-port N         the example model, behind the sidecar (default 9000)
  --db FILE              the collector's database (default ./data/infertrace.db); its folder
                         also keeps the tokens and key made on first run, under secrets/
  --demo N               send N example inference requests once everything is up (default 0)
  -h, --help
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  'collector-port': { type: 'string' },
  'model-port': { type: 'string' },
  db: { type: 'string' },
  demo: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number | undefined> {
  let values: Partial<Record<keyof typeof OPTIONS, string | boolean>>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`infertrace up: ${(err as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const text = (k: keyof typeof OPTIONS, fallback: string): string =>
    typeof values[k] === 'string' ? (values[k] as string) : fallback;
  const host = text('host', '127.0.0.1');
  const demo = Number(text('demo', '0'));
  if (!Number.isInteger(demo) || demo < 0) {
    process.stderr.write(`infertrace up: --demo must be a whole number of requests, got "${text('demo', '')}"\n`);
    return EXIT.usage;
  }
  const modelPort = Number(text('model-port', '9000'));
  const db = text('db', './data/infertrace.db');
  try {
    const secrets = ensureLocalSecrets(dirname(db));
    // The collector gets the sidecar's key too: it turns a subject's raw id into its pseudonyms.
    const keyGiven = Boolean(process.env['INFERTRACE_HMAC_KEY'] || process.env['INFERTRACE_HMAC_KEY_FILE']);
    const keyEnv = keyGiven ? {} : { INFERTRACE_HMAC_KEY_FILE: secrets.paths.hmacKey };
    const collectorConfig = readCollectorConfig(
      { host, port: text('collector-port', '4318'), db, 'tokens-file': secrets.paths.tokensFile },
      { INFERTRACE_LOG_LEVEL: 'warn', ...process.env, ...keyEnv },
    );
    const collector = await startCollector(collectorConfig);
    const model = await startExampleModel({ host, port: modelPort });
    // The sidecar's exporter reads its headers from the environment, the standard way any OTLP exporter does.
    if (!process.env['OTEL_EXPORTER_OTLP_HEADERS'])
      process.env['OTEL_EXPORTER_OTLP_HEADERS'] = `authorization=Bearer ${secrets.sidecarToken}`;
    const { config, options } = loadSidecarSetup(
      {
        listen: `${host}:${text('port', '8080')}`,
        upstream: model.url,
        'admin-port': text('admin-port', '9464'),
        'admin-host': host,
      },
      {
        OTEL_SERVICE_NAME: 'example-model',
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        ...keyEnv,
      },
    );
    const sidecar = await startSidecar(config, { ...options, log: () => {} });
    const cli = cliPrefix(secrets.paths.cliToken);
    process.stdout.write(banner(model.url, sidecar.url, sidecar.adminUrl, collector.url, cli));
    process.stdout.write(
      `${secrets.created ? 'made' : 'using'} tokens and a pseudonymisation key in ${secrets.paths.dir} (0600 files; the collector's tokens file holds only hashes)\n`,
    );
    if (demo > 0) {
      const ids = await sendDemoTraffic(sidecar.url, demo);
      process.stdout.write(
        `sent ${demo} demo request(s); see one with:  ${cli}npx infertrace trace ${ids[0]} --collector ${collector.url}\n`,
      );
      process.stdout.write(`or in the console:  ${collector.url}/ui/?view=request&id=${ids[0]}\n`);
    }
    const stop = (): void => {
      // The sidecar first, so its last spans still reach the collector.
      sidecar
        .close()
        .then(() => Promise.allSettled([collector.close(), model.close()]))
        .then(
          () => process.exit(EXIT.ok),
          () => process.exit(EXIT.internal),
        );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return undefined;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`infertrace up: ${err.message}\n`);
      return EXIT.config;
    }
    // What start-up throws besides a configuration error is a port it cannot listen on.
    process.stderr.write(`infertrace up: ${(err as Error).message}\n`);
    return EXIT.unavailable;
  }
}

/** What the CLI needs before its command to find up's token: nothing when it is where the CLI looks by default. */
function cliPrefix(cliToken: string): string {
  return resolve(cliToken) === resolve(localSecretPaths(DEFAULT_DATA_DIR).cliToken)
    ? ''
    : `INFERTRACE_TOKEN_FILE=${cliToken} `;
}

function banner(model: string, sidecar: string, admin: string, collector: string, cli: string): string {
  return `infertrace is up:
  example model  ${model}   (Open Inference Protocol)
  sidecar        ${sidecar}   → the model; admin ${admin}/metrics
  collector      ${collector}   (OTLP/HTTP + Zipkin ingest, query API; Jaeger API under /jaeger)
  console        ${collector}/ui/   (requests, models, drift, accuracy, alerts, references)

Call the model through the sidecar, then ask what happened to the request:
  curl -s ${sidecar}/v2/models/example/infer -H 'content-type: application/json' -H 'x-request-id: demo-1' \\
    -d '{"inputs":[{"name":"age","shape":[1],"datatype":"FP64","data":[42]},{"name":"income","shape":[1],"datatype":"FP64","data":[3.5]}]}'
  ${cli}npx infertrace trace demo-1 --collector ${collector}
Stop with Ctrl-C.
`;
}
