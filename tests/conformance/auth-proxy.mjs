// A loopback HTTP proxy that adds `Authorization: Bearer <key>` to every request and streams
// the answer back unbuffered (SSE included). The conformance suite's client sends no
// Authorization header and has no option for one; this lets it reach our real /mcp, auth
// included, with a key of a tenant created for the run. Host and Origin pass through
// unchanged, so the server's DNS-rebinding checks see what the suite sent.

import { createServer, request } from 'node:http';

/**
 * @param {string} target  base URL of the real server, e.g. http://127.0.0.1:5123
 * @param {string} apiKey  the tenant's API key
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function startAuthProxy(target, apiKey) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${apiKey}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
      }
    );
    forward.on('error', (err) => (res.headersSent ? res.destroy(err) : res.writeHead(502).end(String(err))));
    // The client hung up (e.g. it cancelled an SSE read): stop the upstream request too.
    res.on('close', () => { if (!res.writableFinished) forward.destroy(); });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
