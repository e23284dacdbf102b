// The benchmark helpers' HTTP client (plain Node.js): JSON requests with the bootstrap key over kept-alive connections.
import { request as httpRequest, Agent } from 'node:http';

/** A client of `url` sending `Authorization: Bearer <key>`; call(method, path, body?) resolves { status, body } (status 0 on a connection error). */
export function jsonClient(url, key, maxSockets = 64) {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call = (method, path, body) => new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest({
      agent, host: base.hostname, port: base.port, method, path,
      headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.end(payload);
  });
  return { call, close: () => agent.destroy() };
}
