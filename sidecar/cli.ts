import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader, type FlagValues } from '../shared/config.js';
import {
  CAPTURE_SETTINGS,
  captureAttributeBudget,
  readCaptureSettings,
  withObjections,
} from './capture/capture-settings.js';
import { createCaptureObserverFactory } from './capture/capture-observer.js';
import { metadataProtection } from './capture/privacy/http-metadata-rules.js';
import { SIDECAR_SETTINGS, loadSidecarConfig, type SidecarConfig } from './config.js';
import { runSidecar, type StartOptions } from './main.js';
import { HMAC_SETTINGS } from '../shared/pseudonyms/hmac-key.js';
import { EXIT } from '../shared/exit-codes.js';
import { privacySummary } from './capture/privacy/privacy-summary.js';
import {
  OBJECTION_SETTINGS,
  createObjectionSource,
  readObjectionSettings,
} from './capture/privacy/objection-source.js';

const OTEL_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ['OTEL_SERVICE_NAME', 'service.name of the spans (default infertrace-sidecar)'],
  ['OTEL_RESOURCE_ATTRIBUTES', 'more resource attributes: key=value,key=value'],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector base URL; /v1/traces is appended (default http://localhost:4318)'],
  ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'full traces URL, used as given (wins over the above)'],
  ['OTEL_EXPORTER_OTLP_HEADERS', 'headers of every export, e.g. authorization=Bearer <token with the ingest scope>'],
  ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf (default) or http/json'],
  ['OTEL_EXPORTER_OTLP_TIMEOUT', 'export timeout in ms (default 10000)'],
  ['OTEL_TRACES_EXPORTER', 'otlp (default) or none'],
  ['OTEL_TRACES_SAMPLER', 'parentbased_always_on (default), parentbased_traceidratio, traceidratio, always_on, …'],
  ['OTEL_TRACES_SAMPLER_ARG', 'sampling ratio 0..1 for the *traceidratio samplers (default 1)'],
  ['OTEL_PROPAGATORS', 'tracecontext,baggage,b3multi,jaeger (default); also b3, none'],
  ['OTEL_BSP_MAX_QUEUE_SIZE', 'spans held for export before new ones are dropped (default 2048)'],
  ['OTEL_BSP_SCHEDULE_DELAY', 'ms between exports (default 1000)'],
  ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'spans per export request (default 128)'],
  ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'attributes per span (default 128, raised to what capture needs)'],
];

/** Capture and privacy flags (documented with capture); parsed here so one command takes them all. */
const CAPTURE_FLAGS = [
  ...Object.values(CAPTURE_SETTINGS),
  ...Object.values(HMAC_SETTINGS),
  ...Object.values(OBJECTION_SETTINGS),
].flatMap((s) => ('flag' in s ? [{ flag: s.flag, env: s.env }] : []));

function help(): string {
  const def = (d: string): string => (d === 'required' ? ' (required)' : d === 'none' ? '' : ` (default ${d})`);
  const flags = SIDECAR_SETTINGS.map((s) => `  --${s.flag.padEnd(22)} ${s.env.padEnd(34)} ${s.help}${def(s.def)}`);
  const capture = CAPTURE_FLAGS.map((s) => `  --${s.flag.padEnd(22)} ${s.env}`);
  const env = OTEL_VARIABLES.map(([name, text]) => `  ${name.padEnd(35)} ${text}`);
  return [
    'Usage: infertrace sidecar --upstream URL [options]',
    '',
    'A reverse proxy beside a model server: traces every call (SERVER + CLIENT spans), propagates',
    'W3C/B3/Jaeger context to the model, captures inputs and predictions, and exports spans over OTLP/HTTP.',
    '',
    'Options (flag, environment variable, meaning):',
    ...flags,
    '  --help',
    '',
    'Capture and privacy (flag, environment variable; INFERTRACE_HMAC_KEY is variable-only):',
    ...capture,
    '',
    'OpenTelemetry variables:',
    ...env,
    '',
    'Admin endpoints (on --admin-port): /healthz, /readyz, /metrics (Prometheus).',
    '',
  ].join('\n');
}

/** Proxy and capture settings, every problem of both reported together (also used by `infertrace up`). */
export function loadSidecarSetup(
  values: FlagValues,
  env: NodeJS.ProcessEnv,
): { config: SidecarConfig; options: StartOptions; privacy: string } {
  const problems: string[] = [];
  let config: SidecarConfig | undefined;
  try {
    config = loadSidecarConfig(values, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const reader = new ConfigReader(values, env);
  const capture = readCaptureSettings(reader);
  const objectionSettings = readObjectionSettings(reader, config?.telemetry);
  problems.push(...reader.problems);
  if (problems.length > 0 || config === undefined) throw new ConfigError(problems);
  // Only requests that name a subject can be objected to.
  const named = capture.subjectHeader !== undefined || capture.subjectField !== undefined;
  const objections = named
    ? createObjectionSource(objectionSettings, (l) => process.stderr.write(`${l}\n`))
    : undefined;
  return {
    config,
    options: {
      observe: createCaptureObserverFactory(objections ? withObjections(capture, objections.list) : capture),
      ...(objections ? { objections } : {}),
      minAttributeCountLimit: captureAttributeBudget(capture),
      metadata: metadataProtection(capture.httpMetadata, capture.privacy.pseudonymiser),
    },
    privacy: privacySummary(capture),
  };
}

/** `infertrace sidecar`: runs until SIGTERM / SIGINT. */
export async function run(argv: string[]): Promise<number | undefined> {
  let values: FlagValues;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          [...SIDECAR_SETTINGS, ...CAPTURE_FLAGS].map((s) => [s.flag, { type: 'string' as const }]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(
      `infertrace sidecar: ${(err as Error).message}\nRun "infertrace sidecar --help" for the options.\n`,
    );
    return EXIT.usage;
  }
  if (values['help'] === true) {
    process.stdout.write(help());
    return EXIT.ok;
  }
  try {
    const { config, options, privacy } = loadSidecarSetup(values, process.env);
    process.stdout.write(`infertrace sidecar: ${privacy}\n`);
    await runSidecar(config, options);
    return undefined; // keeps running
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`infertrace sidecar: ${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
}
