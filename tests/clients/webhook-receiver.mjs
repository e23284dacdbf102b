// A webhook receiver for tests/Orleans.Sessions.Api.Tests/Webhooks: checks every delivery's signature with the
// Standard Webhooks reference implementation (the npm package standardwebhooks), not with the service's code.
//
//   SECRET=whsec_… [SECRET_FILE=<file>] [FAIL_WHILE=<file>] [DELAY_MS=<ms>] [PORT=<port>] node webhook-receiver.mjs
//
// Listens on 127.0.0.1 (on PORT, or a free port) and prints one JSON line per happening:
//   { "kind": "listening", "port" }
//   { "kind": "refused", "id" }        FAIL_WHILE names a file that exists and holds "*" or the event's userId: 500
//   { "kind": "received", "id", "timestamp", "inFlight", "event" }
//                                      signature verified: answered 204 after DELAY_MS; inFlight counts the requests
//                                      being answered when this one arrived, itself included
//   { "kind": "invalid", "id", "error" }              signature refused: answered 400
// When SECRET_FILE is set and the file exists, the secret is read from it on each request (so the receiver can start
// before the endpoint, and its secret, exist).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const secret = () => (process.env.SECRET_FILE && existsSync(process.env.SECRET_FILE))
  ? readFileSync(process.env.SECRET_FILE, 'utf8').trim()
  : process.env.SECRET;

const failing = (body) => {
  let whom;
  try {
    whom = readFileSync(process.env.FAIL_WHILE, 'utf8').trim(); // Replaced whole by the test (written aside, then renamed).
  } catch {
    return false; // No such file (or none configured): not failing.
  }
  return whom === '*' || JSON.parse(body).userId === whom;
};
const delay = Number(process.env.DELAY_MS ?? 0);
let inFlight = 0;

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const id = request.headers['webhook-id'];
    if (failing(body)) {
      print({ kind: 'refused', id });
      response.writeHead(500).end();
      return;
    }

    try {
      const event = new Webhook(secret()).verify(body, request.headers);
      inFlight++;
      print({ kind: 'received', id, timestamp: request.headers['webhook-timestamp'], inFlight, event });
      setTimeout(() => { inFlight--; response.writeHead(204).end(); }, delay);
    } catch (error) {
      print({ kind: 'invalid', id, error: String(error) });
      response.writeHead(400).end();
    }
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => print({ kind: 'listening', port: server.address().port }));
