import type { Attributes } from '../../../shared/span-record.js';
import type { EncodedAttributes } from '../../telemetry/pre-encoded-attributes.js';
import type { ModelInfo } from '../../proxy/model-path.js';
import type { BodyFraming } from '../body-reader.js';

/** One body as it crosses to a capture thread: its bytes' memory is transferred, not copied. */
export interface BodyBytes {
  /** null: the body was over the capture size limit (only counted). */
  bytes: Uint8Array | null;
  framing: BodyFraming;
}

/** What a capture thread needs to capture one exchange (the pipeline's input, bodies unread). */
export interface CaptureJob {
  id: number;
  route: ModelInfo;
  request: BodyBytes;
  /** Absent when there is no prediction to read (error status, exchange not completed). */
  response?: BodyBytes;
  /** Raw subject id from the configured header; only its HMAC leaves the thread. */
  subject?: string;
}

export interface CaptureReply {
  id: number;
  /** The SERVER span's attributes, less the features when they come `encoded`. */
  attrs: Attributes;
  /** The feature attributes as OTLP/protobuf (telemetry/pre-encoded-attributes.ts). */
  encoded?: EncodedAttributes;
}

/** What a capture thread starts from: the settings' source (capture-settings.ts). */
export interface CaptureThreadData {
  source: Readonly<Record<string, string>>;
  /** Send the features back encoded (the exporter speaks OTLP/protobuf) rather than as attributes. */
  encodeFeatures: boolean;
}
