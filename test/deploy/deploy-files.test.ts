import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { commands } from '../../bin/commands.js';
import { repoRoot } from '../support/repo-root.js';

// No Docker engine runs here, so the deployment files are checked by parsing them and by holding
// every name they use against the code that reads it.

const deployDir = join(repoRoot, 'deploy');
const yamlFiles = [
  'docker-compose.yml',
  'kubernetes/collector.yaml',
  'kubernetes/model-with-sidecar.yaml',
  'otel-collector/loadbalancing.yaml',
  'otel-collector/shard-agent.yaml',
];

function parse(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(join(deployDir, file), 'utf8'));
  for (const d of docs) expect(d.errors, `${file}: ${d.errors.join('; ')}`).toEqual([]);
  return docs.map((d) => d.toJS());
}

/** Every source file of the product, as one text, to find the variables it reads. */
function productSource(): string {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(readFileSync(p, 'utf8'));
    }
  };
  for (const d of ['sidecar', 'collector', 'shared', 'bin']) walk(join(repoRoot, d));
  return out.join('\n');
}

interface Container {
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  environment?: Record<string, string>;
}

function containers(): Container[] {
  const [compose] = parse('docker-compose.yml') as [{ services: Record<string, Container> }];
  const k8s = [...parse('kubernetes/collector.yaml'), ...parse('kubernetes/model-with-sidecar.yaml')] as {
    kind: string;
    spec?: { template?: { spec?: { containers?: Container[] } } };
  }[];
  const pods = k8s.flatMap((d) => d.spec?.template?.spec?.containers ?? []);
  return [...Object.values(compose.services), ...pods];
}

describe('deploy/', () => {
  it.each(yamlFiles)('%s parses as YAML', (file) => {
    expect(parse(file).length).toBeGreaterThan(0);
  });

  it('uses only sub-commands the CLI has', () => {
    const names = new Set(commands.map((c) => c.name));
    for (const c of containers()) {
      const sub = (c.args ?? c.command ?? [])[0];
      expect(sub && names.has(sub), `unknown sub-command ${String(sub)}`).toBe(true);
    }
  });

  it('sets only environment variables the product reads', () => {
    const source = productSource();
    for (const c of containers()) {
      const names = [...Object.keys(c.environment ?? {}), ...(c.env ?? []).map((e) => e.name)];
      for (const name of names) expect(source.includes(`'${name}'`), `${name} is read nowhere`).toBe(true);
    }
  });

  it('gives the collector tokens and the sidecar its token from a Secret or the environment, never a literal', () => {
    const [compose] = parse('docker-compose.yml') as [{ services: Record<string, Container> }];
    expect(compose.services['collector']?.environment?.['INFERTRACE_TOKENS']).toMatch(
      /^\$\{INFERTRACE_COLLECTOR_TOKENS:\?/,
    );
    expect(compose.services['sidecar']?.environment?.['OTEL_EXPORTER_OTLP_HEADERS']).toMatch(
      /^\$\{INFERTRACE_SIDECAR_HEADERS:\?/,
    );
    const pods = containers().filter((c) => c.env !== undefined);
    const secret = (name: string): unknown =>
      pods.flatMap((c) => c.env ?? []).find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(secret('INFERTRACE_TOKENS')).toEqual({ name: 'infertrace-tokens', key: 'tokens' });
    expect(secret('OTEL_EXPORTER_OTLP_HEADERS')).toEqual({ name: 'infertrace-tokens', key: 'otlp-headers' });
    const text = yamlFiles.map((f) => readFileSync(join(deployDir, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/itk_[A-Za-z0-9_-]{20}|sha256:[0-9a-f]{64}/);
  });

  it('binds the collector beyond loopback only where tokens are required', () => {
    for (const c of containers()) {
      const env = {
        ...c.environment,
        ...Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? 'from a secret'])),
      };
      if ((c.args ?? c.command ?? [])[0] !== 'collector') continue;
      expect(env['INFERTRACE_HOST']).toBe('0.0.0.0');
      expect(env['INFERTRACE_TOKENS']).toBeDefined();
      expect(env['INFERTRACE_INSECURE_NO_AUTH']).toBeUndefined();
    }
  });

  it('starts the image with the entry point package.json installs', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const dockerfile = readFileSync(join(deployDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`"node", "${pkg.bin.infertrace}"`);
  });

  it('routes the scale-out tier by trace id to shards that speak OTLP/HTTP to the collector', () => {
    const [lb] = parse('otel-collector/loadbalancing.yaml') as [
      { exporters: { loadbalancing: { routing_key: string } } },
    ];
    const [agent] = parse('otel-collector/shard-agent.yaml') as [{ exporters: { otlphttp: { endpoint: string } } }];
    expect(lb.exporters.loadbalancing.routing_key).toBe('traceID');
    expect(new URL(agent.exporters.otlphttp.endpoint).port).toBe('4318');
  });
});
