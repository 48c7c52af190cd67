/** The sub-commands of `infertrace`, loaded on demand so each starts only what it needs. */
export interface CommandModule {
  /** Runs the command; resolves to the exit code, or undefined while a server keeps running. */
  run(argv: string[]): Promise<number | undefined>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Command[] = [
  {
    name: 'sidecar',
    usage: 'sidecar --upstream URL',
    summary: 'trace every call to a model server (reverse proxy beside the model container)',
    load: () => import('../sidecar/cli.js'),
  },
  { name: 'trace', usage: 'trace <request-id|trace-id> [--collector URL] [--json]', summary: 'print the call tree of one request or trace from the collector', load: () => import('../collector/cli/trace.js') },
];
