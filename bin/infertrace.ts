#!/usr/bin/env node
/**
 * The `infertrace` command: a thin dispatcher. Each sub-command lives with its half of the product
 * and exports `run(argv)`, resolving to the process exit code.
 */
import { EXIT } from '../shared/exit-codes.js';
import { commands } from './commands.js';

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    const { version } = await import('../shared/version.js');
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`infertrace: unknown command "${name}"; run "infertrace --help" for the list\n`);
    return EXIT.usage;
  }
  const mod = await command.load();
  return mod.run(rest);
}

function printHelp(): void {
  const width = Math.max(...commands.map((c) => c.usage.length));
  const lines = commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  process.stdout.write(
    `infertrace: distributed tracing for model serving\n\nUsage: infertrace <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "infertrace <command> --help" for a command's options.\n`,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    // Servers keep the process alive on their own; a finished command sets its exit code.
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`infertrace: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.internal;
  },
);
