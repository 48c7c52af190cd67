import { parseArgs } from 'node:util';
import { ConfigError } from '../../shared/config.js';
import { AUTH_SETTINGS, authFlagOptions } from '../auth/auth-settings.js';
import { COLLECTOR_SETTINGS, DEFAULTS, readCollectorConfig } from '../config.js';
import { startCollector } from '../main.js';
import { collectorFlagOptions, featureFlagHelp } from './collector-flags.js';
import { EXIT } from '../../shared/exit-codes.js';

/**
 * `infertrace collector`: receives OTLP/HTTP and Zipkin spans, stores them in SQLite, answers the
 * query API, all on one port. Runs until SIGTERM or SIGINT, then shuts down gracefully.
 */
const S = COLLECTOR_SETTINGS;
const A = AUTH_SETTINGS;

const USAGE = `Usage: infertrace collector [options]

Receives spans (OTLP/HTTP POST /v1/traces, Zipkin POST /api/v2/spans), stores them in SQLite and
answers the query API, all on one port.

Options (each also read from its environment variable):
  --host ADDR            ${S.host.env}, default ${DEFAULTS.host} (elsewhere tokens are required)
  --port N               ${S.port.env}, default ${DEFAULTS.port} (0: any free port)
  --db FILE              ${S.db.env}, default ${DEFAULTS.db} (":memory:" keeps nothing on disk)
  --retention DURATION   ${S.retention.env}, default ${DEFAULTS.retention} (0: keep forever)
  --max-db-size SIZE     ${S.maxDbSize.env}, e.g. 16GB or 500MiB; default: no size limit
  --body-limit SIZE      ${S.bodyLimit.env}, default 64MiB (checked after decompression too)
  --memory-budget SIZE   ${S.memoryBudget.env}, default 256MiB (all ingest requests in flight together; beyond: 503)
  --shutdown-timeout D   ${S.shutdownTimeout.env}, default ${DEFAULTS.shutdownTimeout}
  --log-level LEVEL      ${S.logLevel.env}, default ${DEFAULTS.logLevel} (fatal, error, warn, info, debug, trace, silent)
  -h, --help             show this help

Authentication (bearer tokens with scopes ingest, read, feedback, admin, privacy):
  --tokens-file FILE     ${A.tokensFile.env}: lines "<name> <scope>[,<scope>] sha256:<hex>", reloaded on change
                         ${A.tokens.env}: the same lines (separated by ";" or newlines), variable only
  --tokens-reload D      ${A.tokensReload.env}, how often the file is checked for changes, default 2s
  --metrics-auth MODE    ${A.metricsAuth.env}, open or read (default): whether /metrics needs a read token
  --insecure-no-auth     ${A.insecureNoAuth.env}=true: listen beyond loopback with no tokens (warns)
  Make a token with "infertrace token --name NAME --scopes SCOPES".

Settings of the areas built on the stored spans (each flag also read from the variable beside it;
see the README for values and defaults):
${featureFlagHelp()}
`;

const OPTIONS = {
  ...collectorFlagOptions(),
  ...authFlagOptions(),
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`infertrace collector: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  let config;
  try {
    config = readCollectorConfig(values, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`infertrace collector: ${err.message}\n`);
    return EXIT.config;
  }
  let collector;
  try {
    collector = await startCollector(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`infertrace collector: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(
      `infertrace collector: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`,
    );
    return EXIT.unavailable;
  }
  process.stdout.write(
    `infertrace collector listening on ${collector.url} (OTLP/HTTP ${collector.url}/v1/traces, Zipkin ${collector.url}/api/v2/spans; db ${config.db})\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means "now"; a repeated SIGTERM changes nothing.
      if (signal === 'SIGINT') process.exit(EXIT.interrupted);
      return;
    }
    stopping = true;
    collector.app.log.info(`${signal} received: shutting down`);
    collector.close().then(
      // Exit even if some plugin left a timer behind: everything that matters is closed.
      () => process.exit(EXIT.ok),
      (err: unknown) => {
        process.stderr.write(`infertrace collector: shutdown did not complete: ${(err as Error).message}\n`);
        process.exit(EXIT.internal);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return undefined;
}
