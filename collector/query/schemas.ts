import { SPAN_KINDS, STATUS_CODES } from '../../shared/span-record.js';

/**
 * JSON schemas of the query API. The request schemas (params, query strings) are what fastify
 * validates; every query value is declared as text and converted by search-params.ts, so the
 * routes behave the same whatever type coercion the hosting app's validator uses. The response
 * schemas document the shapes (trace-json.ts) and the tests hold the responses against them.
 */
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

export const traceIdParams = {
  type: 'object',
  required: ['traceId'],
  // A trace id, or a request id that opens its trace (TraceService.open).
  properties: { traceId: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export const requestIdParams = {
  type: 'object',
  required: ['requestId'],
  properties: { requestId: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export const serviceParams = {
  type: 'object',
  required: ['service'],
  properties: { service: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export const searchQuery = {
  type: 'object',
  properties: {
    service: text(256),
    operation: text(256),
    model: text(256),
    version: text(256),
    minDuration: text(32),
    maxDuration: text(32),
    start: text(40),
    end: text(40),
    tag: { anyOf: [text(1024), { type: 'array', maxItems: 32, items: text(1024) }] },
    error: text(5),
    limit: text(10),
  },
} as const;

/** Readable hints for the path parameters, whose schemas would only say "must match pattern". */
export const PARAMETER_HINTS: Record<string, string> = {
  traceId: 'a trace id of 16 or 32 hexadecimal digits, or a request id of 1 to 256 characters',
  requestId: 'a request id of 1 to 256 characters',
  service: 'a service name of 1 to 256 characters',
};

// ---- response shapes ----

const attributes = { type: 'object' } as const;
const nanoString = { type: 'string', pattern: '^-?\\d+$' } as const;
const idList = { type: 'array', items: { type: 'string' } } as const;

const traceTimes = {
  traceId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  rootService: { type: 'string' },
  rootOperation: { type: 'string' },
  startTimeUnixNano: nanoString,
  startTimeMicros: { type: 'integer' },
  startTime: { type: 'string', format: 'date-time' },
  durationNano: nanoString,
  durationMicros: { type: 'number', minimum: 0 },
  spanCount: { type: 'integer', minimum: 0 },
  errorCount: { type: 'integer', minimum: 0 },
  services: idList,
  requestIds: idList,
} as const;

const summaryJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(traceTimes),
  properties: traceTimes,
} as const;

const spanJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'spanId',
    'parentSpanId',
    'traceState',
    'name',
    'kind',
    'serviceName',
    'startTimeUnixNano',
    'startTimeMicros',
    'endTimeUnixNano',
    'offsetMicros',
    'durationNano',
    'durationMicros',
    'status',
    'attributes',
    'events',
    'links',
    'resource',
    'scope',
    'flags',
    'depth',
    'childSpanIds',
    'warnings',
  ],
  properties: {
    spanId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    originalSpanId: { type: 'string' },
    parentSpanId: { type: 'string' },
    traceState: { type: 'string' },
    name: { type: 'string' },
    kind: { enum: [...SPAN_KINDS] },
    serviceName: { type: 'string' },
    startTimeUnixNano: nanoString,
    startTimeMicros: { type: 'integer' },
    endTimeUnixNano: nanoString,
    offsetMicros: { type: 'number' },
    durationNano: nanoString,
    durationMicros: { type: 'number', minimum: 0 },
    status: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { enum: [...STATUS_CODES] }, message: { type: 'string' } },
    },
    attributes,
    events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'timeUnixNano', 'timeMicros', 'offsetMicros', 'attributes'],
        properties: {
          name: { type: 'string' },
          timeUnixNano: nanoString,
          timeMicros: { type: 'integer' },
          offsetMicros: { type: 'number' },
          attributes,
        },
      },
    },
    links: { type: 'array', items: { type: 'object', required: ['traceId', 'spanId'] } },
    resource: attributes,
    scope: { type: 'object', required: ['name', 'version'] },
    flags: { type: 'integer' },
    depth: { type: 'integer', minimum: 0 },
    childSpanIds: idList,
    warnings: idList,
  },
} as const;

export const traceJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(traceTimes), 'warnings', 'rootSpanIds', 'spans'],
  properties: { ...traceTimes, warnings: idList, rootSpanIds: idList, spans: { type: 'array', items: spanJsonSchema } },
} as const;

export const searchJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['traces', 'limit'],
  properties: { traces: { type: 'array', items: summaryJsonSchema }, limit: { type: 'integer' } },
} as const;

export const requestJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'traces', 'totalTraces'],
  properties: {
    requestId: { type: 'string' },
    traces: { type: 'array', items: traceJsonSchema },
    totalTraces: { type: 'integer' },
  },
} as const;

export const servicesJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['services'],
  properties: { services: idList },
} as const;

export const operationsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'operations'],
  properties: {
    service: { type: 'string' },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind'],
        properties: { name: { type: 'string' }, kind: { enum: [...SPAN_KINDS] } },
      },
    },
  },
} as const;

export const errorJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string', minLength: 1 } },
    },
  },
} as const;
