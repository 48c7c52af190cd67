import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { readSpec } from '../../support/specs.js';

/**
 * Test-only: validators for Zipkin's JSON bodies, built from the Swagger 2.0 definitions in
 * ../shared/specs/zipkin/zipkin2-api.yaml. Swagger's `#/definitions/X` refs resolve as they are
 * once the definitions sit under the root schema's `definitions`.
 */
type SwaggerDoc = {
  definitions: Record<string, unknown>;
  paths: Record<string, Record<string, { responses: Record<string, { schema?: unknown }> }>>;
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function build(): { ajv: Ajv; doc: SwaggerDoc } {
  const doc = parse(readSpec('zipkin', 'zipkin2-api.yaml')) as SwaggerDoc;
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('example'); // Swagger's documentation keyword, not a constraint
  ajv.addSchema({ $id: 'zipkin2', definitions: doc.definitions });
  return { ajv, doc };
}

const { ajv, doc } = build();

function refTo(definition: string): ValidateFunction {
  return ajv.compile({ $ref: `zipkin2#/definitions/${definition}` });
}

/** The 200-response schema of a GET path, e.g. '/services' or '/dependencies'. */
function responseOf(path: string): ValidateFunction {
  const schema = doc.paths[path]?.get?.responses['200']?.schema;
  if (schema === undefined) throw new Error(`no 200 schema for GET ${path} in zipkin2-api.yaml`);
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"zipkin2#/definitions/')) as object;
  return ajv.compile(rewritten);
}

export const zipkinSchemas = {
  listOfSpans: refTo('ListOfSpans'),
  trace: refTo('Trace'),
  listOfTraces: refTo('ListOfTraces'),
  services: responseOf('/services'),
  dependencies: responseOf('/dependencies'),
};

/** Validates and returns ajv's complaints as readable text ('' when valid). */
export function zipkinProblems(validate: ValidateFunction, body: unknown): string {
  return validate(body) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}
