import { connect } from 'node:net';

/** A raw HTTP/1.1 exchange over a socket, for requests no client library would send. */
export interface RawResponse {
  status: number;
  statusMessage: string;
  /** Header pairs, names as sent. */
  headers: [string, string][];
  body: Buffer;
}

export function header(res: RawResponse, name: string): string[] {
  return res.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', pos);
    if (eol === -1) break;
    const size = parseInt(data.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` chunks. */
export function rawRequest(url: string, head: string, body: (string | Buffer)[] = []): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      let data = Buffer.concat(chunks);
      // Skip informational answers (100 Continue).
      while (/^HTTP\/1\.1 1\d\d/.test(data.subarray(0, 12).toString('latin1')))
        data = data.subarray(data.indexOf('\r\n\r\n') + 4);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return reject(new Error(`incomplete response: ${data.toString('latin1')}`));
      const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(statusLine);
      const headers = lines.map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
      });
      const rest = data.subarray(end + 4);
      const chunked = headers.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
      resolve({ status: Number(m?.[1]), statusMessage: m?.[2] ?? '', headers, body: chunked ? dechunk(rest) : rest });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
    for (const b of body) socket.write(b);
  });
}
