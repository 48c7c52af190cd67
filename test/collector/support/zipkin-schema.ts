import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { zipkin2JsonSchema } from './zipkin2-json-schema.js';

/** Test-only: validators for Zipkin's JSON bodies, from the schema in zipkin2-json-schema.ts. */
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
ajv.addSchema(zipkin2JsonSchema);

function refTo(definition: keyof typeof zipkin2JsonSchema.definitions): ValidateFunction {
  return ajv.compile({ $ref: `zipkin2#/definitions/${definition}` });
}

export const zipkinSchemas = {
  listOfSpans: refTo('ListOfSpans'),
  trace: refTo('Trace'),
  listOfTraces: refTo('ListOfTraces'),
  services: refTo('ServiceNames'),
  dependencies: refTo('ListOfDependencyLinks'),
};

/** Validates and returns ajv's complaints as readable text ('' when valid). */
export function zipkinProblems(validate: ValidateFunction, body: unknown): string {
  return validate(body) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}
