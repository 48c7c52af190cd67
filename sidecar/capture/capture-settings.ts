import type { ConfigReader, Setting } from '../../shared/config.js';
import { HMAC_SETTINGS, readPseudonymiser } from '../../shared/pseudonyms/hmac-key.js';
import { parseIdentifiersSection } from './privacy/identifiers-section.js';
import {
  DEFAULT_METADATA_ACTIONS,
  parseHttpMetadataSection,
  pseudonymisedFields,
  type MetadataActions,
} from './privacy/http-metadata-rules.js';
import { readRulesFile, SectionReader, isRecord } from './privacy/rules-file.js';
import { DEFAULT_PII, parsePrivacySection, type PrivacyPolicy } from './privacy/rules.js';
import { parseFieldPath } from './privacy/subject.js';
import type { PipelineSettings } from './capture-pipeline.js';
import { parseModelsSection, type ModelNameTable } from './feature-names.js';
import { DEFAULT_LIMITS, type CaptureLimits } from './limits.js';
import { parseRoutesSection, type RouteOverride } from './route-overrides.js';

/** Flags and variables of capture (the HMAC key's are in privacy/hmac-key.ts). */
export const CAPTURE_SETTINGS = {
  enabled: { flag: 'capture', env: 'INFERTRACE_CAPTURE' },
  sampleRatio: { flag: 'capture-sample-ratio', env: 'INFERTRACE_CAPTURE_SAMPLE_RATIO' },
  maxBytes: { flag: 'capture-max-bytes', env: 'INFERTRACE_CAPTURE_MAX_BYTES' },
  maxFeatures: { flag: 'capture-max-features', env: 'INFERTRACE_CAPTURE_MAX_FEATURES' },
  maxValues: { flag: 'capture-max-values', env: 'INFERTRACE_CAPTURE_MAX_VALUES' },
  maxString: { flag: 'capture-max-string', env: 'INFERTRACE_CAPTURE_MAX_STRING' },
  rules: { flag: 'capture-rules', env: 'INFERTRACE_CAPTURE_RULES' },
  subjectHeader: { flag: 'subject-header', env: 'INFERTRACE_SUBJECT_HEADER' },
  subjectField: { flag: 'subject-field', env: 'INFERTRACE_SUBJECT_FIELD' },
  workers: { flag: 'capture-workers', env: 'INFERTRACE_CAPTURE_WORKERS' },
  queue: { flag: 'capture-queue', env: 'INFERTRACE_CAPTURE_QUEUE' },
  queueBytes: { flag: 'capture-queue-bytes', env: 'INFERTRACE_CAPTURE_QUEUE_BYTES' },
  threadNice: { flag: 'capture-nice', env: 'INFERTRACE_CAPTURE_NICE' },
} as const satisfies Record<string, Setting>;

export interface CaptureSettings extends PipelineSettings {
  readonly enabled: boolean;
  /** Share of exchanges captured, independent of trace sampling. */
  readonly sampleRatio: number;
  readonly limits: CaptureLimits;
  readonly privacy: PrivacyPolicy;
  readonly routes: readonly RouteOverride[];
  readonly models: ModelNameTable;
  readonly rulesFile?: string;
  /** Lower-case header carrying the data subject's id. */
  readonly subjectHeader?: string;
  readonly subjectField?: readonly string[];
  /** What becomes of url.query, url.full, user_agent.original and client.address (`http_metadata:`). */
  readonly httpMetadata: MetadataActions;
  /** Capture threads (0: capture on the proxy's event loop, as before workers). */
  readonly workers: number;
  /** Exchanges waiting for a capture thread; past either bound capture is shed (`overloaded`). */
  readonly queue: number;
  readonly queueBytes: number;
  /** Capture threads' nice value (0-19): they yield the CPU to the proxy (thread-priority.ts). */
  readonly threadNice: number;
}

/**
 * What the settings were read from (each setting's raw text under its variable's name), so a
 * capture thread can read the very same settings again: keys and compiled rules do not cross
 * threads. Kept beside the settings, not in them, so nothing that prints settings prints a key.
 */
const sources = new WeakMap<CaptureSettings, Readonly<Record<string, string>>>();

/**
 * The settings with a deny-list of objecting subjects (Art. 21). The list stays on the proxy's
 * thread (it is kept current there); capture threads read the same settings source, and their
 * result is checked against the list when it comes back (threads/threaded-capture.ts).
 */
export function withObjections(settings: CaptureSettings, objections: PipelineSettings['objections']): CaptureSettings {
  const out: CaptureSettings = Object.freeze({ ...settings, ...(objections ? { objections } : {}) });
  const source = sources.get(settings);
  if (source) sources.set(out, source);
  return out;
}

export function captureSettingsSource(settings: CaptureSettings): Readonly<Record<string, string>> | undefined {
  return sources.get(settings);
}

function sourceOf(reader: ConfigReader): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of [...Object.values(CAPTURE_SETTINGS), ...Object.values(HMAC_SETTINGS)]) {
    const v = reader.raw(s);
    if (v !== undefined) out[s.env] = v;
  }
  return out;
}

const TOP_KEYS = ['version', 'default_action', 'pii', 'identifiers', 'http_metadata', 'rules', 'routes', 'models'];
const HEADER = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function label(s: Setting): string {
  return [s.flag && `--${s.flag}`, s.env].filter(Boolean).join(' / ');
}

/**
 * Reads capture and privacy settings once, at start-up. Every problem (including every problem in
 * the rules file, with its line) is reported through the reader; the result is frozen.
 */
export function readCaptureSettings(reader: ConfigReader): CaptureSettings {
  const S = CAPTURE_SETTINGS;
  const enabled = reader.boolean(S.enabled, true);
  const sampleRatio = reader.number(S.sampleRatio, 1, { min: 0, max: 1 });
  const limits: CaptureLimits = Object.freeze({
    maxBytes: reader.byteSize(S.maxBytes, DEFAULT_LIMITS.maxBytes, { min: 1, max: 256 * 1024 * 1024 }),
    maxFeatures: reader.number(S.maxFeatures, DEFAULT_LIMITS.maxFeatures, { min: 1, max: 10_000, integer: true }),
    maxValues: reader.number(S.maxValues, DEFAULT_LIMITS.maxValues, { min: 1, max: 100_000, integer: true }),
    maxString: reader.number(S.maxString, DEFAULT_LIMITS.maxString, { min: 1, max: 1_048_576, integer: true }),
  });
  const pseudonymiser = readPseudonymiser(reader);
  const noKey = 'needs a key: set INFERTRACE_HMAC_KEY_FILE or INFERTRACE_HMAC_KEY';

  const rulesFile = reader.raw(S.rules);
  let privacy: PrivacyPolicy = {
    defaultAction: 'keep',
    rules: [],
    pii: DEFAULT_PII,
    identifiers: parseIdentifiersSection(undefined, undefined),
  };
  let routes: RouteOverride[] = [];
  let models: ModelNameTable = {};
  let httpMetadata = DEFAULT_METADATA_ACTIONS;
  if (rulesFile !== undefined) {
    const doc = readRulesFile(rulesFile, reader.problems, label(S.rules));
    if (doc && !isRecord(doc.data))
      reader.problems.push(
        `${label(S.rules)}: ${doc.where([])}: the rules file must be a mapping (rules, pii, routes, models)`,
      );
    else if (doc && isRecord(doc.data)) {
      const r = new SectionReader(doc, reader.problems, label(S.rules));
      r.onlyKeys(doc.data, [], TOP_KEYS, 'rules file');
      if (doc.data.version !== undefined && doc.data.version !== 1)
        r.problem(['version'], `version must be 1, got ${JSON.stringify(doc.data.version)}`);
      const identifiers = parseIdentifiersSection(r, doc.data.identifiers);
      privacy = { ...parsePrivacySection(r, doc.data), ...(identifiers ? { identifiers } : {}) };
      routes = parseRoutesSection(r, doc.data.routes);
      models = parseModelsSection(r, doc.data.models);
      httpMetadata = parseHttpMetadataSection(r, doc.data.http_metadata);
      if (!pseudonymiser) {
        for (const field of pseudonymisedFields(httpMetadata))
          r.problem(['http_metadata', field], `http_metadata.${field}: pseudonymise ${noKey}`);
        for (const rule of privacy.rules)
          if (rule.action === 'pseudonymise')
            reader.problems.push(`${label(S.rules)}: ${rule.where}: action pseudonymise ${noKey}`);
        if (privacy.defaultAction === 'pseudonymise')
          r.problem(['default_action'], `default_action pseudonymise ${noKey}`);
      }
    }
  }

  const headerText = reader.raw(S.subjectHeader)?.trim().toLowerCase();
  const subjectHeader = headerText === undefined ? undefined : HEADER.test(headerText) ? headerText : undefined;
  if (headerText !== undefined && subjectHeader === undefined)
    reader.problems.push(`${label(S.subjectHeader)} must be an HTTP header name, got "${headerText}"`);
  const fieldText = reader.raw(S.subjectField);
  const subjectField = fieldText === undefined ? undefined : parseFieldPath(fieldText.trim());
  if (fieldText !== undefined && subjectField === undefined)
    reader.problems.push(
      `${label(S.subjectField)} must be a dotted path such as parameters.subject_id, got "${fieldText}"`,
    );
  if ((headerText !== undefined || fieldText !== undefined) && !pseudonymiser) {
    reader.problems.push(
      `${headerText !== undefined ? label(S.subjectHeader) : label(S.subjectField)}: the subject id is only recorded as a keyed HMAC and ${noKey}`,
    );
  }

  const settings: CaptureSettings = {
    enabled,
    sampleRatio,
    limits,
    privacy: Object.freeze({
      ...privacy,
      rules: Object.freeze([...privacy.rules]),
      ...(pseudonymiser ? { pseudonymiser } : {}),
    }),
    routes: Object.freeze(routes),
    models,
    httpMetadata,
    ...(rulesFile !== undefined ? { rulesFile } : {}),
    ...(subjectHeader !== undefined ? { subjectHeader } : {}),
    ...(subjectField !== undefined ? { subjectField: Object.freeze(subjectField) } : {}),
    workers: reader.number(S.workers, 1, { min: 0, max: 64, integer: true }),
    queue: reader.number(S.queue, 256, { min: 1, max: 1_000_000, integer: true }),
    queueBytes: reader.byteSize(S.queueBytes, 64 * 1024 * 1024, { min: 1024, max: 4 * 1024 * 1024 * 1024 }),
    threadNice: reader.number(S.threadNice, 10, { min: 0, max: 19, integer: true }),
  };
  Object.freeze(settings);
  sources.set(settings, Object.freeze(sourceOf(reader)));
  return settings;
}

/**
 * Attributes a captured SERVER span may carry: both sides' features plus the fixed ones. The
 * OpenTelemetry SDK drops attributes past its span limit (128 by default), so the sidecar's
 * tracer provider should allow at least this many.
 */
export function captureAttributeBudget(settings: CaptureSettings): number {
  return 2 * settings.limits.maxFeatures + 32;
}
