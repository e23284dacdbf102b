// Webhook benchmark helpers for bench/http/webhooks.sh; plain Node.js, no packages.
//
//   PORT=<port> node webhooks.mjs receive
//     A receiver that answers every delivery 204 at once (no signature check: its CPU is not what is measured) and
//     answers GET /count with { received, connections } (the connections deliveries came on).
//
//   URL=<service> KEY=<key> [TENANT=bench] [RATE=1000] [REVOKES=20] [DURATION=30] [RECEIVER=webhook|backchannel|ssf_push|ssf_poll] node webhooks.mjs latency
//     Registers, at a receiver of its own, an endpoint for every event type (webhook), a back-channel logout client
//     for the client id every sign-on names (backchannel), a Shared Signals push stream of session-revoked SETs
//     (ssf_push), or a poll stream it long-polls, acknowledging each answer in its next poll (ssf_poll); then for
//     DURATION seconds sends RATE sign-ons a second (open loop: on a schedule, not one after another) and REVOKES
//     revokes a second of sessions signed on before. For each revoke: the time from its 2xx to the arrival of its
//     session.revoked, logout token or SET (read, not verified: the tests verify tokens, this measures time). Prints
//     one JSON line.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { jsonClient } from './client.mjs';

const mode = process.argv[2];

function listen(handler, port = 0) {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => handler(request, response, Buffer.concat(chunks)));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (mode === 'receive') {
  let received = 0, connections = 0;
  const seen = new WeakSet();
  await listen((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received, connections }));
      return;
    }
    if (!seen.has(request.socket)) {
      seen.add(request.socket);
      connections++;
    }
    received++;
    response.writeHead(204).end();
  }, Number(process.env.PORT));
} else if (mode === 'latency') {
  await latency();
} else {
  console.error('usage: node webhooks.mjs receive|latency');
  process.exit(2);
}

async function latency() {
  const key = process.env.KEY;
  const tenant = process.env.TENANT ?? 'bench';
  const rate = Number(process.env.RATE ?? 1000);
  const revokesPerSecond = Number(process.env.REVOKES ?? 20);
  const seconds = Number(process.env.DURATION ?? 30);

  const kind = process.env.RECEIVER ?? 'webhook';
  const backchannel = kind === 'backchannel';
  const claims = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const revokedSession = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

  const revokedAt = new Map(); // session id → performance.now() of the revoke's 2xx
  const arrivedAt = new Map(); // session id → performance.now() of its session.revoked (or logout token) at the receiver
  let delivered = 0;
  const receiver = await listen((request, response, body) => {
    delivered++;
    const text = body.toString('utf8');
    if (backchannel) {
      arrivedAt.set(claims(new URLSearchParams(text).get('logout_token')).sid, performance.now());
    } else if (kind === 'ssf_push') {
      arrivedAt.set(claims(text).sub_id.session.id, performance.now());
    } else if (text.includes('"session.revoked"')) {
      arrivedAt.set(JSON.parse(text).sessionId, performance.now());
    }
    response.writeHead(backchannel ? 200 : kind === 'ssf_push' ? 202 : 204).end();
  });

  const { call, close } = jsonClient(process.env.URL, key, 128);

  const target = `http://127.0.0.1:${receiver.address().port}/${backchannel ? 'logout' : 'hooks'}`;
  const registered = backchannel ? await call('POST', `/v1/tenants/${tenant}/clients`, { clientId: 'web', backchannelLogoutUri: target })
    : kind === 'ssf_push' ? await call('POST', `/v1/tenants/${tenant}/ssf/streams`, { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: target }, events_requested: [revokedSession] })
    : kind === 'ssf_poll' ? await call('POST', `/v1/tenants/${tenant}/ssf/streams`, { events_requested: [revokedSession] })
    : await call('POST', `/v1/tenants/${tenant}/webhooks`, { url: target });
  if (registered.status !== 201) {
    throw new Error(`registering the receiver: ${registered.status} ${registered.body}`);
  }

  // A poll receiver: one long poll after another, each acknowledging what the last one brought — on connections of its
  // own, as a receiver elsewhere would poll, not queued behind the load's sign-ons.
  let polling = kind === 'ssf_poll', pollErrors = 0;
  const pollClient = jsonClient(process.env.URL, key, 2);
  if (polling) {
    const path = new URL(JSON.parse(registered.body).delivery.endpoint_url).pathname;
    (async () => {
      let ack = [];
      while (polling) {
        const answer = await pollClient.call('POST', path, { ack, maxEvents: 100 });
        if (answer.status !== 200) {
          pollErrors += polling ? 1 : 0;
          continue;
        }
        const now = performance.now();
        const sets = JSON.parse(answer.body).sets;
        ack = Object.keys(sets);
        delivered += ack.length;
        for (const token of Object.values(sets)) arrivedAt.set(claims(token).sub_id.session.id, now);
      }
    })();
  }

  const signOn = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', authMethod: 'password', clientId: 'web' };
  const signedOn = []; // [user, session id]
  let signOns = 0, signOnErrors = 0, revokeErrors = 0, inFlight = 0, counter = 0;
  const started = performance.now();
  const end = started + seconds * 1000;

  const signOnOne = async () => {
    const user = `lat-u${counter++ % 10000}`;
    inFlight++;
    const answer = await call('POST', `/v1/tenants/${tenant}/users/${user}/sessions`, signOn);
    inFlight--;
    if (answer.status === 201) {
      signOns++;
      signedOn.push([user, JSON.parse(answer.body).session.id]);
    } else {
      signOnErrors++;
    }
  };
  const revokeOne = async () => {
    const picked = signedOn.splice(Math.floor(Math.random() * signedOn.length), 1)[0];
    if (!picked) {
      return;
    }
    const [user, session] = picked;
    const answer = await call('POST', `/v1/tenants/${tenant}/users/${user}/sessions/${session}/revoke`, { reason: 'latency benchmark' });
    if (answer.status === 200) {
      revokedAt.set(session, performance.now());
    } else if (answer.status !== 409) { // Evicted meanwhile from a full ring: not an error of the service.
      revokeErrors++;
    }
  };

  // Open loop: every 10 ms, the sign-ons and revokes that are due by now.
  let sentSignOns = 0, sentRevokes = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      if (now >= end) {
        clearInterval(tick);
        resolve();
        return;
      }
      const elapsed = (now - started) / 1000;
      while (sentSignOns < elapsed * rate) { sentSignOns++; signOnOne(); }
      while (sentRevokes < elapsed * revokesPerSecond) { sentRevokes++; revokeOne(); }
    }, 10);
  });
  const loadSeconds = (performance.now() - started) / 1000;

  // Every acknowledged revoke must arrive: wait up to 60 s for the last ones.
  const deadline = performance.now() + 60_000;
  while ((inFlight > 0 || [...revokedAt.keys()].some((id) => !arrivedAt.has(id))) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const latencies = [...revokedAt].filter(([id]) => arrivedAt.has(id)).map(([id, at]) => arrivedAt.get(id) - at).sort((a, b) => a - b);
  const percentile = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : NaN;
  console.log(JSON.stringify({
    signOnsPerSecond: Math.round(signOns / loadSeconds), signOnErrors, revokes: revokedAt.size, revokeErrors,
    missing: revokedAt.size - latencies.length, delivered, ...(kind === 'ssf_poll' ? { pollErrors } : {}),
    p50Ms: +percentile(0.5).toFixed(1), p99Ms: +percentile(0.99).toFixed(1), maxMs: +percentile(1).toFixed(1),
  }));
  polling = false;
  close();
  pollClient.close(); // Ends the poll waiting now, if any.
  receiver.close();
}
