/**
 * Zipkin's v2 JSON model as a JSON Schema (draft-07, for ajv), written for these tests from the
 * field list of Zipkin's v2 API specification: what a span, a trace, a list of traces, the service
 * list and the dependency links look like. Ids are anchored here (the specification's patterns are
 * not), so an id with other characters around its hex digits is refused too.
 */
const HEX_TRACE_ID = '^[a-f0-9]{16}([a-f0-9]{16})?$';
const HEX_SPAN_ID = '^[a-f0-9]{16}$';

export const zipkin2JsonSchema = {
  $id: 'zipkin2',
  definitions: {
    Endpoint: {
      type: 'object',
      properties: {
        serviceName: { type: 'string' },
        ipv4: { type: 'string', format: 'ipv4' },
        ipv6: { type: 'string', format: 'ipv6' },
        port: { type: 'integer' },
      },
    },
    Annotation: {
      type: 'object',
      required: ['timestamp', 'value'],
      properties: {
        // Epoch microseconds.
        timestamp: { type: 'integer', format: 'int64' },
        value: { type: 'string' },
      },
    },
    Tags: { type: 'object', additionalProperties: { type: 'string' } },
    Span: {
      type: 'object',
      required: ['traceId', 'id'],
      properties: {
        traceId: { type: 'string', minLength: 16, maxLength: 32, pattern: HEX_TRACE_ID },
        name: { type: 'string' },
        parentId: { type: 'string', minLength: 16, maxLength: 16, pattern: HEX_SPAN_ID },
        id: { type: 'string', minLength: 16, maxLength: 16, pattern: HEX_SPAN_ID },
        // Absent for a local (in-process) or incomplete span.
        kind: { type: 'string', enum: ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'] },
        // Epoch microseconds; may be absent, e.g. on tags sent after the span was reported.
        timestamp: { type: 'integer', format: 'int64' },
        // Microseconds, rounded up: never zero.
        duration: { type: 'integer', format: 'int64', minimum: 1 },
        debug: { type: 'boolean' },
        shared: { type: 'boolean' },
        localEndpoint: { $ref: '#/definitions/Endpoint' },
        remoteEndpoint: { $ref: '#/definitions/Endpoint' },
        annotations: { type: 'array', uniqueItems: true, items: { $ref: '#/definitions/Annotation' } },
        tags: { $ref: '#/definitions/Tags' },
      },
    },
    ListOfSpans: { type: 'array', items: { $ref: '#/definitions/Span' } },
    Trace: { type: 'array', items: { $ref: '#/definitions/Span' } },
    ListOfTraces: { type: 'array', items: { $ref: '#/definitions/Trace' } },
    // GET /api/v2/services.
    ServiceNames: { type: 'array', items: { type: 'string' } },
    DependencyLink: {
      type: 'object',
      required: ['parent', 'child', 'callCount'],
      properties: {
        parent: { type: 'string' },
        child: { type: 'string' },
        callCount: { type: 'integer' },
        errorCount: { type: 'integer' },
      },
    },
    // GET /api/v2/dependencies.
    ListOfDependencyLinks: { type: 'array', items: { $ref: '#/definitions/DependencyLink' } },
  },
} as const;
