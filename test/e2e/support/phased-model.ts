import Fastify from 'fastify';

/**
 * A test model server on loopback (Open Inference Protocol): a logistic model of two inputs `x` and
 * `z`, p = σ(w·x + 0.5·z), answering `probability` (p, rounded to 1e-6) and `label` (p ≥ 0.5).
 * The weight `w` of `x` is set between phases, so a test can reverse the feature's effect on the
 * prediction while everything else stays.
 */
export interface PhasedModel {
  url: string;
  setWeight(w: number): void;
  close(): Promise<void>;
}

export const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));

export async function startPhasedModel(model: string): Promise<PhasedModel> {
  let weight = 2;
  const app = Fastify({ logger: false });
  app.post<{ Body: { inputs?: { name: string; data: number[] }[] } }>(
    `/v2/models/${model}/versions/1/infer`,
    async (req, reply) => {
      const value = (name: string): number | undefined => req.body?.inputs?.find((t) => t.name === name)?.data?.[0];
      const x = value('x');
      const z = value('z');
      if (typeof x !== 'number' || typeof z !== 'number')
        return reply.code(400).send({ error: 'inputs x and z (shape [1]) are required' });
      const p = Math.round(sigmoid(weight * x + 0.5 * z) * 1e6) / 1e6;
      return {
        model_name: model,
        model_version: '1',
        outputs: [
          { name: 'probability', datatype: 'FP64', shape: [1], data: [p] },
          { name: 'label', datatype: 'INT64', shape: [1], data: [p >= 0.5 ? 1 : 0] },
        ],
      };
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, setWeight: (w) => (weight = w), close: () => app.close() };
}
