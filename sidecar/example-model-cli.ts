import { parseArgs } from 'node:util';
import { startExampleModel } from './example-model.js';
import { EXIT } from '../shared/exit-codes.js';

const HELP = `Usage: infertrace example-model [--port 9000] [--host 0.0.0.0] [--model example] [--version 1]

A toy model server speaking the Open Inference Protocol (POST /v2/models/{model}/infer,
GET /v2/health/ready): a deterministic logistic score over numeric input features.
`;

/** `infertrace example-model`: runs until SIGTERM / SIGINT. */
export async function run(argv: string[]): Promise<number | undefined> {
  let values: { port?: string; host?: string; model?: string; version?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        model: { type: 'string' },
        version: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`infertrace example-model: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const port = Number(values.port ?? '9000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `infertrace example-model: --port must be a whole number from 0 to 65535, got "${values.port}"\n`,
    );
    return EXIT.usage;
  }
  const server = await startExampleModel({
    port,
    host: values.host ?? '0.0.0.0',
    ...(values.model ? { model: values.model } : {}),
    ...(values.version ? { version: values.version } : {}),
  });
  process.stderr.write(`infertrace example-model: ${server.url}/v2/models/${values.model ?? 'example'}/infer\n`);
  const stop = (): void => void server.close().then(() => process.exit(EXIT.ok));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return undefined;
}
