import { ENDUSER, ML, type MlProtocol } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import { applyPrivacy, type Direction } from './privacy/apply-privacy.js';
import type { PrivacyPolicy } from './privacy/rules.js';
import { objectedCapture, type SubjectDenyList } from './privacy/objections.js';
import { subjectFromBody } from './privacy/subject.js';
import { SUBJECT_PURPOSE } from '../../shared/pseudonyms/hmac.js';
import type { BodyResult } from './body-reader.js';
import type { ProtocolCodec } from './codec.js';
import type { ModelInfo } from '../proxy/model-path.js';
import { CODECS, codecForBody } from './detect.js';
import { MalformedBody, type Extraction, type Feature } from './extraction.js';
import { namesForModel, renameColumns, type ModelNameTable } from './feature-names.js';
import { attributeSink, featureValues, type FeatureSink } from './flatten.js';
import { limitShape, limitStrings, type CaptureLimits, type TruncationReason } from './limits.js';

/** The parts of the settings the pipeline reads. */
export interface PipelineSettings {
  readonly limits: CaptureLimits;
  readonly privacy: PrivacyPolicy;
  readonly models: ModelNameTable;
  /** Dotted path of the subject id in the request body. */
  readonly subjectField?: readonly string[];
  /** Subjects who objected (Art. 21): their requests are traced, not captured. */
  readonly objections?: SubjectDenyList;
}

export interface ExchangeBodies {
  route: ModelInfo;
  request: BodyResult;
  /** Absent when there is no prediction to read (upstream error status, exchange not completed). */
  response?: BodyResult;
  /** Raw subject id from the configured header; only its HMAC leaves this function. */
  subject?: string;
}

/** The PII scan looks this far past the string limit, so PII cut in half by the limit is still found. */
const SCAN_MARGIN = 256;

/**
 * The pure core of capture: parsed bodies in, SERVER-span attributes out. Order matters for
 * privacy: names are resolved first, then the subject field is removed, then rules and PII masks
 * run, and only then are values cut and put on attributes. The features (ml.input.*, ml.output.*)
 * go to `features` when given (a capture thread encodes them as they come), else beside the rest.
 */
export function captureExchange(s: PipelineSettings, ex: ExchangeBodies, features?: FeatureSink): Attributes {
  const attrs: Attributes = {};
  const { route } = ex;
  if (route.protocol) attrs[ML.protocol] = route.protocol;
  if (route.modelName !== undefined) attrs[ML.modelName] = route.modelName;
  if (route.modelVersion !== undefined) attrs[ML.modelVersion] = route.modelVersion;
  const pseudo = s.privacy.pseudonymiser;
  if (ex.subject !== undefined && pseudo) attrs[ENDUSER.pseudoId] = pseudo.pseudonymise(ex.subject, SUBJECT_PURPOSE);

  if (!ex.request.ok) return skipped(attrs, ex.request.reason);
  const codec: ProtocolCodec | undefined = route.protocol ? CODECS[route.protocol] : codecForBody(ex.request.json);
  if (!codec) return skipped(attrs, 'unrecognised_body');
  attrs[ML.protocol] = codec.protocol satisfies MlProtocol;
  // One column over the limit: the subject's field, when it is a column, is taken out before it.
  const maxColumns = s.limits.maxFeatures + 1;
  let input: Extraction;
  try {
    input = codec.request(ex.request.json, maxColumns);
  } catch (err) {
    if (err instanceof MalformedBody) return skipped(attrs, 'malformed_body');
    throw err;
  }

  const reasons = new Set<TruncationReason | string>();
  let output: Extraction | undefined;
  if (ex.response?.ok === false) reasons.add(`response_${ex.response.reason}`);
  else if (ex.response?.ok) {
    try {
      output = codec.response(ex.response.json, maxColumns);
    } catch (err) {
      if (!(err instanceof MalformedBody)) throw err;
      reasons.add('response_malformed_body');
    }
  }

  if (input.capped || output?.capped) reasons.add('max_features');
  const model = route.modelName ?? input.modelName ?? output?.modelName;
  const version = route.modelVersion ?? input.modelVersion ?? output?.modelVersion;
  if (model !== undefined) attrs[ML.modelName] = model;
  if (version !== undefined) attrs[ML.modelVersion] = version;
  const requestId = input.requestId ?? output?.requestId;
  if (requestId !== undefined) attrs[ML.requestId] = requestId;
  attrs[ML.batchSize] = input.rows;

  const names = namesForModel(s.models, model);
  let inputs = names?.inputs ? renameColumns(input.features, names.inputs) : input.features;
  const outputs = output && names?.outputs ? renameColumns(output.features, names.outputs) : output?.features;

  const redacted: string[] = [];
  if (s.subjectField) {
    const field = s.subjectField.join('.');
    const fromFeature = inputs.find((f) => f.name === field);
    if (fromFeature) {
      inputs = inputs.filter((f) => f !== fromFeature);
      redacted.push(ML.inputPrefix + field);
    }
    if (attrs[ENDUSER.pseudoId] === undefined && pseudo) {
      const subjects = subjectsOf(ex.request.json, s.subjectField, fromFeature);
      // One subject: one pseudonym. Several: one per row (row i of every ml.* array is ids[i]),
      // so the collector can take one person's rows out of a batch; '' marks a row without one.
      const ids = subjects.map((v) => (v === '' ? '' : pseudo.pseudonymise(v, SUBJECT_PURPOSE)));
      const distinct = new Set(ids.filter((id) => id !== ''));
      if (distinct.size === 1 && !ids.includes('')) attrs[ENDUSER.pseudoId] = ids[0] as string;
      else if (distinct.size > 0) attrs[ENDUSER.pseudoId] = ids;
    }
  }

  // The subject is known (header or body): an objecting subject's values go no further.
  const objected = objectedCapture(s.objections, attrs);
  if (objected) return objected;
  const into = features ?? attributeSink(attrs);
  side(s, inputs, input.rows, 'input', into, redacted, reasons);
  if (output && outputs) side(s, outputs, output.rows, 'output', into, redacted, reasons);
  attrs[ML.capture] = reasons.size > 0 ? 'truncated' : 'full';
  if (reasons.size > 0) attrs[ML.captureReason] = [...reasons].join(',');
  if (redacted.length > 0) attrs[ML.privacyRedacted] = redacted;
  return attrs;
}

function skipped(attrs: Attributes, reason: string): Attributes {
  attrs[ML.capture] = 'skipped';
  attrs[ML.captureReason] = reason;
  return attrs;
}

/** The subject: the body path's scalar, else each row's value of the feature of that name. */
function subjectsOf(body: unknown, field: readonly string[], feature: Feature | undefined): string[] {
  const one = subjectFromBody(body, field);
  if (one !== undefined) return [one];
  if (!feature) return [];
  return feature.values.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));
}

function side(
  s: PipelineSettings,
  features: readonly Feature[],
  rows: number,
  direction: Direction,
  into: FeatureSink,
  redacted: string[],
  reasons: Set<string>,
): void {
  const shaped = limitShape(features, s.limits, reasons as Set<TruncationReason>);
  const safe = applyPrivacy(shaped, direction, s.privacy, s.limits.maxString + SCAN_MARGIN);
  redacted.push(...safe.redacted);
  const cut = limitStrings(safe.features, s.limits.maxString, reasons as Set<TruncationReason>);
  featureValues(cut, rows, direction === 'input' ? ML.inputPrefix : ML.outputPrefix, into);
}
