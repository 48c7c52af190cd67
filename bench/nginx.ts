/**
 * nginx as the reference reverse proxy of bench/sidecar-open-loop.ts: Debian's package, one worker,
 * keep-alive to the model, its own config and temp folders in a private tmp dir, on loopback.
 * (`apt-get install -y nginx-light` if it is missing.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NGINX = process.env['NGINX'] ?? '/usr/sbin/nginx';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function config(dir: string, port: number, upstream: URL): string {
  return `worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 64m;
  client_body_buffer_size 2m;
  keepalive_requests 1000000;
  upstream model { server ${upstream.host}; keepalive 128; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://model;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`;
}

export interface NginxHandle {
  url: string;
  pid: number;
  stop(): void;
}

/** Starts nginx in front of `upstream` and resolves once it accepts connections. */
export async function startNginx(upstream: string): Promise<NginxHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-nginx-'));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port, new URL(upstream)));
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const stop = (): void => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/v2/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, pid: child.pid as number, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  throw new Error(`nginx (${NGINX}) did not start; install it with apt-get install -y nginx-light`);
}
