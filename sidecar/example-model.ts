import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A small model server bundled for `infertrace up`, the benchmark and the tests. It speaks the
 * Open Inference Protocol (KServe v2 / Triton REST): a deterministic logistic model that scores
 * each row of numeric features and labels it 1 when the probability is at least 0.5.
 */

export interface ExampleModelOptions {
  port?: number;
  host?: string;
  /** The one model served (default `example`, version `1`). */
  model?: string;
  version?: string;
}

interface OipTensor {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

const NUMERIC = new Set([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
]);

/** Fixed weights so every run scores the same: alternating signs, shrinking with the column. */
export function weight(column: number): number {
  return (column % 2 === 0 ? 1 : -1) * (0.8 / (1 + column));
}

const BIAS = -0.1;

/** Probability per row for a matrix of features (rows × columns). */
export function score(rows: readonly (readonly number[])[]): number[] {
  return rows.map((row) => 1 / (1 + Math.exp(-(BIAS + row.reduce((s, x, j) => s + weight(j) * x, 0)))));
}

function flatten(data: unknown): unknown[] {
  return Array.isArray(data) ? data.flatMap((d) => flatten(d)) : [data];
}

/** OIP inputs → one feature row per batch entry; throws a message for a 400 on bad input. */
export function rowsFromInputs(inputs: unknown): number[][] {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new Error('"inputs" must be a non-empty list of tensors');
  let rows: number[][] | undefined;
  for (const t of inputs as OipTensor[]) {
    const name = typeof t.name === 'string' ? t.name : '?';
    if (typeof t.datatype !== 'string' || !NUMERIC.has(t.datatype))
      throw new Error(`input "${name}": datatype must be numeric (FP32, INT64, …)`);
    if (
      !Array.isArray(t.shape) ||
      t.shape.length === 0 ||
      !t.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
    ) {
      throw new Error(`input "${name}": shape must be a list of non-negative integers`);
    }
    const shape = t.shape as number[];
    const values = flatten(t.data).map((v) => (typeof v === 'boolean' ? Number(v) : v));
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`input "${name}": data must hold ${expected} finite numbers for shape [${shape.join(',')}]`);
    }
    const n = shape[0] as number;
    const width = n === 0 ? 0 : expected / n;
    rows ??= Array.from({ length: n }, () => []);
    if (rows.length !== n)
      throw new Error(`input "${name}": batch size ${n} differs from the other inputs' ${rows.length}`);
    for (let r = 0; r < n; r++) (rows[r] as number[]).push(...(values.slice(r * width, (r + 1) * width) as number[]));
  }
  return rows ?? [];
}

export function buildExampleModelApp(options: ExampleModelOptions = {}): FastifyInstance {
  const model = options.model ?? 'example';
  const version = options.version ?? '1';
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  const known = (name: string, v: string | undefined): boolean => name === model && (v === undefined || v === version);
  const notFound = (name: string) => ({
    error: `model "${name}" is not served here; this server has "${model}" version ${version}`,
  });

  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async () => ({ ready: true }));
  app.get('/v2', async () => ({ name: 'infertrace-example-model', version: '1', extensions: [] }));

  const metadata = {
    name: model,
    versions: [version],
    platform: 'infertrace-example',
    inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, -1] }],
    outputs: [
      { name: 'probability', datatype: 'FP32', shape: [-1, 1] },
      { name: 'label', datatype: 'INT64', shape: [-1, 1] },
    ],
  };
  type Params = { model: string; version?: string };
  for (const prefix of ['/v2/models/:model', '/v2/models/:model/versions/:version']) {
    app.get<{ Params: Params }>(prefix, async (req, reply) =>
      known(req.params.model, req.params.version) ? metadata : reply.code(404).send(notFound(req.params.model)),
    );
    app.get<{ Params: Params }>(`${prefix}/ready`, async (req, reply) =>
      known(req.params.model, req.params.version) ? { ready: true } : reply.code(404).send(notFound(req.params.model)),
    );
    app.post<{ Params: Params; Body: { id?: unknown; inputs?: unknown } }>(`${prefix}/infer`, async (req, reply) => {
      if (!known(req.params.model, req.params.version)) return reply.code(404).send(notFound(req.params.model));
      let rows: number[][];
      try {
        rows = rowsFromInputs(req.body?.inputs);
      } catch (err) {
        return reply.code(400).send({ error: (err as Error).message });
      }
      const probability = score(rows);
      return {
        model_name: model,
        model_version: version,
        ...(typeof req.body?.id === 'string' ? { id: req.body.id } : {}),
        outputs: [
          {
            name: 'probability',
            datatype: 'FP32',
            shape: [rows.length, 1],
            data: probability.map((p) => Math.round(p * 1e6) / 1e6),
          },
          {
            name: 'label',
            datatype: 'INT64',
            shape: [rows.length, 1],
            data: probability.map((p) => (p >= 0.5 ? 1 : 0)),
          },
        ],
      };
    });
  }
  return app;
}

/** Starts the example model server; `url` is its base URL for `--upstream`. */
export async function startExampleModel(
  options: ExampleModelOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildExampleModelApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`, close: () => app.close() };
}
