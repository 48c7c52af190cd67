import { ConfigReader, parseListen, settingName, type FlagValues } from '../shared/config.js';
import { parsePropagatorList } from './propagation/composite.js';
import { JAEGER_BAGGAGE_MODES } from './propagation/jaeger.js';
import { SAMPLER_NAMES, type SamplerName } from './telemetry/sampler.js';
import type { TelemetryConfig } from './telemetry.js';

/** The sidecar's settings, parsed once at start-up into a frozen, fully resolved object. */
export interface SidecarConfig {
  listen: { host: string; port: number };
  /** Origin of the model server plus an optional path prefix, without a trailing slash. */
  upstream: string;
  adminPort: number;
  /** Address of the admin port: loopback unless told otherwise (Kubernetes probes need the pod's address). */
  adminHost: string;
  /** Time allowed for the model's response headers, and between two of its body chunks. */
  upstreamTimeoutMs: number;
  /** Keep-alive connections the pool may open to the model server. */
  upstreamConnections: number;
  /** Time a client may take to send its whole request body (408 after). */
  clientBodyTimeoutMs: number;
  /** Time a client may stay silent between two chunks of its request body (408 after). */
  clientIdleTimeoutMs: number;
  /** Request bodies up to this size are read whole before a connection to the model is taken. */
  requestBufferBytes: number;
  /** Bound of the trace and baggage headers injected into the forwarded request. */
  maxInjectedHeaderBytes: number;
  /** Path /readyz calls on the model server; unset means any HTTP answer counts as reachable. */
  upstreamHealthPath: string | undefined;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  drainTimeoutMs: number;
  /** `peer.service` of every CLIENT span; unset means the model the path names, else the upstream host. */
  peerService: string | undefined;
  telemetry: TelemetryConfig;
}

/** Flags of `infertrace sidecar`, with their variables, for --help and the README. */
export const SIDECAR_SETTINGS = [
  {
    flag: 'listen',
    env: 'INFERTRACE_LISTEN',
    def: '8080',
    help: 'address the proxy listens on: port, :port or host:port',
  },
  {
    flag: 'upstream',
    env: 'INFERTRACE_UPSTREAM',
    def: 'required',
    help: "the model server's base URL, e.g. http://127.0.0.1:9000",
  },
  { flag: 'admin-port', env: 'INFERTRACE_ADMIN_PORT', def: '9464', help: 'port of /healthz, /readyz and /metrics' },
  {
    flag: 'admin-host',
    env: 'INFERTRACE_ADMIN_HOST',
    def: '127.0.0.1',
    help: 'address of the admin port (0.0.0.0 for Kubernetes probes and scrapes)',
  },
  {
    flag: 'upstream-timeout',
    env: 'INFERTRACE_UPSTREAM_TIMEOUT',
    def: '30s',
    help: 'wait for the model: for its headers and between body chunks (504 after)',
  },
  {
    flag: 'upstream-connections',
    env: 'INFERTRACE_UPSTREAM_CONNECTIONS',
    def: '128',
    help: 'keep-alive connections to the model server',
  },
  {
    flag: 'upstream-health-path',
    env: 'INFERTRACE_UPSTREAM_HEALTH_PATH',
    def: 'none',
    help: '/readyz requires a 2xx from this path (e.g. /v2/health/ready); unset: any answer',
  },
  {
    flag: 'client-body-timeout',
    env: 'INFERTRACE_CLIENT_BODY_TIMEOUT',
    def: '60s',
    help: 'time a client may take to send its whole request body (408 after)',
  },
  {
    flag: 'client-idle-timeout',
    env: 'INFERTRACE_CLIENT_IDLE_TIMEOUT',
    def: '10s',
    help: 'time a client may stay silent in the middle of its request body (408 after)',
  },
  {
    flag: 'request-buffer',
    env: 'INFERTRACE_REQUEST_BUFFER',
    def: '64KiB',
    help: 'bodies up to this size are read whole before the model is called; larger ones stream',
  },
  {
    flag: 'max-injected-headers',
    env: 'INFERTRACE_MAX_INJECTED_HEADERS',
    def: '10KiB',
    help: 'bound of the trace and baggage headers added to the forwarded request; over it baggage copies are dropped',
  },
  {
    flag: 'jaeger-baggage',
    env: 'INFERTRACE_JAEGER_BAGGAGE',
    def: 'incoming',
    help: 'write uberctx- baggage headers: incoming (only when the caller sent them) or always',
  },
  {
    flag: 'drain-timeout',
    env: 'INFERTRACE_DRAIN_TIMEOUT',
    def: '10s',
    help: 'on SIGTERM, wait this long for in-flight requests',
  },
  {
    flag: 'peer-service',
    env: 'INFERTRACE_PEER_SERVICE',
    def: 'none',
    help: 'peer.service of the CLIENT span; unset: the model the path names, else the upstream host',
  },
] as const;

/** `key=value,key=value` with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES). */
export function parseResourceAttributes(text: string | undefined): {
  attributes: Record<string, string>;
  bad: string[];
} {
  const attributes: Record<string, string> = {};
  const bad: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    try {
      if (key === '') throw new Error('no key');
      attributes[key] = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      bad.push(item);
    }
  }
  return { attributes, bad };
}

function tracesEndpoint(r: ConfigReader): string {
  const specific = r.url({ env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
  if (specific !== undefined) return specific;
  const base = r.url({ env: 'OTEL_EXPORTER_OTLP_ENDPOINT' }, 'http://localhost:4318') as string;
  return `${base}/v1/traces`;
}

function telemetry(r: ConfigReader, env: NodeJS.ProcessEnv): TelemetryConfig {
  const resource = parseResourceAttributes(env['OTEL_RESOURCE_ATTRIBUTES']);
  if (resource.bad.length > 0) {
    r.problems.push(
      `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas; cannot read: ${resource.bad.join(', ')}`,
    );
  }
  const propagators = parsePropagatorList(env['OTEL_PROPAGATORS']);
  if (propagators.unknown.length > 0) {
    r.problems.push(
      `OTEL_PROPAGATORS: unknown ${propagators.unknown.join(', ')}; known: tracecontext, baggage, b3, b3multi, jaeger, none`,
    );
  }
  const samplerText = r.string({ env: 'OTEL_TRACES_SAMPLER' }, 'parentbased_always_on').toLowerCase();
  let sampler: SamplerName = 'parentbased_always_on';
  if ((SAMPLER_NAMES as readonly string[]).includes(samplerText)) sampler = samplerText as SamplerName;
  else r.problems.push(`OTEL_TRACES_SAMPLER must be one of ${SAMPLER_NAMES.join(', ')}, got "${samplerText}"`);
  const ratio = r.number({ env: 'OTEL_TRACES_SAMPLER_ARG' }, 1, { min: 0, max: 1 });
  const exporterText = r.string({ env: 'OTEL_TRACES_EXPORTER' }, 'otlp').toLowerCase();
  if (exporterText !== 'otlp' && exporterText !== 'none') {
    r.problems.push(`OTEL_TRACES_EXPORTER must be otlp or none, got "${exporterText}"`);
  }
  // http/protobuf by default, as the OpenTelemetry spec says: it sends half the bytes of JSON, and a
  // span with captured features costs ~40 % less sidecar CPU to export (bench/sidecar.ts, section 3).
  const protocolText =
    r.raw({ env: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' }) ??
    r.string({ env: 'OTEL_EXPORTER_OTLP_PROTOCOL' }, 'http/protobuf');
  if (protocolText !== 'http/json' && protocolText !== 'http/protobuf') {
    r.problems.push(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be http/json or http/protobuf (grpc is not supported), got "${protocolText}"`,
    );
  }
  const timeout = r.number(
    { env: 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT' },
    r.number({ env: 'OTEL_EXPORTER_OTLP_TIMEOUT' }, 10_000, { min: 1, integer: true }),
    { min: 1, integer: true },
  );
  const serviceName =
    r.raw({ env: 'OTEL_SERVICE_NAME' }) ?? resource.attributes['service.name'] ?? 'infertrace-sidecar';
  return {
    serviceName,
    resourceAttributes: resource.attributes,
    exporter: exporterText === 'none' ? 'none' : 'otlp',
    endpoint: tracesEndpoint(r),
    protocol: protocolText === 'http/json' ? 'http/json' : 'http/protobuf',
    exportTimeoutMs: timeout,
    sampler,
    samplerRatio: ratio,
    propagators: propagators.names,
    attributeCountLimit: r.number(
      { env: 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT' },
      r.number({ env: 'OTEL_ATTRIBUTE_COUNT_LIMIT' }, 128, { min: 1, integer: true }),
      { min: 1, integer: true },
    ),
    batch: {
      maxQueueSize: r.number({ env: 'OTEL_BSP_MAX_QUEUE_SIZE' }, 2048, { min: 1, integer: true }),
      // Smaller than the SDK's 512: a batch is serialised on the event loop, so its size bounds
      // the pause a request can meet (about 7 µs per span).
      maxExportBatchSize: r.number({ env: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE' }, 128, { min: 1, integer: true }),
      // Shorter than the SDK's 5 s so a person who just sent a request finds its trace at once.
      scheduledDelayMs: r.number({ env: 'OTEL_BSP_SCHEDULE_DELAY' }, 1000, { min: 0, integer: true }),
    },
  };
}

// Printable, no control characters, no surrounding blanks: it becomes a node name in dependency graphs.
const PEER_SERVICE = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,253}[^\s\p{Cc}])?$/u;

function peerService(r: ConfigReader): string | undefined {
  const setting = { flag: 'peer-service', env: 'INFERTRACE_PEER_SERVICE' };
  const text = r.raw(setting);
  if (text === undefined || PEER_SERVICE.test(text)) return text;
  r.problems.push(
    `${settingName(setting)} must be a service name of 1 to 255 characters, without control characters or surrounding spaces; got ${JSON.stringify(text)}`,
  );
  return undefined;
}

function deepFreeze<T>(o: T): Readonly<T> {
  for (const v of Object.values(o as object)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}

/** Resolves flags → variables → defaults; throws a ConfigError naming every problem at once. */
export function loadSidecarConfig(flags: FlagValues, env: NodeJS.ProcessEnv): Readonly<SidecarConfig> {
  const r = new ConfigReader(flags, env);
  const listenText = r.string({ flag: 'listen', env: 'INFERTRACE_LISTEN' }, '8080');
  const listen = parseListen(listenText);
  if (!listen) r.problems.push(`--listen / INFERTRACE_LISTEN must be port, :port or host:port, got "${listenText}"`);
  const upstreamText = r.required(
    { flag: 'upstream', env: 'INFERTRACE_UPSTREAM' },
    "the model server's base URL, e.g. --upstream http://127.0.0.1:9000",
  );
  const upstream = upstreamText === '' ? '' : (r.url({ flag: 'upstream', env: 'INFERTRACE_UPSTREAM' }) ?? '');
  const healthPath = r.raw({ flag: 'upstream-health-path', env: 'INFERTRACE_UPSTREAM_HEALTH_PATH' });
  if (healthPath !== undefined && !healthPath.startsWith('/')) {
    r.problems.push(`--upstream-health-path / INFERTRACE_UPSTREAM_HEALTH_PATH must start with /, got "${healthPath}"`);
  }
  const jaegerBaggage = r.string({ flag: 'jaeger-baggage', env: 'INFERTRACE_JAEGER_BAGGAGE' }, 'incoming');
  if (!(JAEGER_BAGGAGE_MODES as readonly string[]).includes(jaegerBaggage)) {
    r.problems.push(`--jaeger-baggage / INFERTRACE_JAEGER_BAGGAGE must be incoming or always, got "${jaegerBaggage}"`);
  }
  const config: SidecarConfig = {
    listen: listen ?? { host: '0.0.0.0', port: 8080 },
    upstream,
    adminPort: r.port({ flag: 'admin-port', env: 'INFERTRACE_ADMIN_PORT' }, 9464),
    adminHost: r.string({ flag: 'admin-host', env: 'INFERTRACE_ADMIN_HOST' }, '127.0.0.1'),
    upstreamTimeoutMs: r.duration({ flag: 'upstream-timeout', env: 'INFERTRACE_UPSTREAM_TIMEOUT' }, 30_000, { min: 1 }),
    upstreamConnections: r.number({ flag: 'upstream-connections', env: 'INFERTRACE_UPSTREAM_CONNECTIONS' }, 128, {
      min: 1,
      max: 65535,
      integer: true,
    }),
    upstreamHealthPath: healthPath,
    clientBodyTimeoutMs: r.duration({ flag: 'client-body-timeout', env: 'INFERTRACE_CLIENT_BODY_TIMEOUT' }, 60_000, {
      min: 1,
    }),
    clientIdleTimeoutMs: r.duration({ flag: 'client-idle-timeout', env: 'INFERTRACE_CLIENT_IDLE_TIMEOUT' }, 10_000, {
      min: 1,
    }),
    requestBufferBytes: r.byteSize({ flag: 'request-buffer', env: 'INFERTRACE_REQUEST_BUFFER' }, 64 * 1024, {
      max: 64 * 1024 * 1024,
    }),
    maxInjectedHeaderBytes: r.byteSize(
      { flag: 'max-injected-headers', env: 'INFERTRACE_MAX_INJECTED_HEADERS' },
      10 * 1024,
      { min: 256 },
    ),
    drainTimeoutMs: r.duration({ flag: 'drain-timeout', env: 'INFERTRACE_DRAIN_TIMEOUT' }, 10_000, { min: 1 }),
    peerService: peerService(r),
    telemetry: { ...telemetry(r, env), jaegerBaggage: jaegerBaggage === 'always' ? 'always' : 'incoming' },
  };
  r.done();
  return deepFreeze(config);
}
