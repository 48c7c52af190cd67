import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../support/repo-root.js';
import type { Attributes } from '../../../shared/span-record.js';
import { BoundedBody, readJsonBody } from '../../../sidecar/capture/body-reader.js';
import { captureExchange, type PipelineSettings } from '../../../sidecar/capture/capture-pipeline.js';
import { DEFAULT_LIMITS } from '../../../sidecar/capture/limits.js';
import { resolveRoute } from '../../../sidecar/capture/route-overrides.js';
import { DEFAULT_PII } from '../../../sidecar/capture/privacy/rules.js';

export interface Fixture {
  about: string;
  path: string;
  request: unknown;
  response: unknown;
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/protocols', name), 'utf8')) as Fixture;
}

export function pipelineSettings(over: Partial<PipelineSettings> = {}): PipelineSettings {
  return {
    limits: DEFAULT_LIMITS,
    privacy: { defaultAction: 'keep', rules: [], pii: DEFAULT_PII },
    models: {},
    ...over,
  };
}

function bodyOf(value: unknown, max = DEFAULT_LIMITS.maxBytes): BoundedBody {
  const b = new BoundedBody(max);
  b.push(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
  return b;
}

/** Runs a fixture through the pure pipeline, bodies serialised and read back as the observer would. */
export function captureFixture(f: Fixture, settings: PipelineSettings = pipelineSettings()): Attributes {
  const max = settings.limits.maxBytes;
  return captureExchange(settings, {
    route: resolveRoute(f.path, []),
    request: readJsonBody(bodyOf(f.request, max), {}, max),
    response: readJsonBody(bodyOf(f.response, max), {}, max),
  });
}
