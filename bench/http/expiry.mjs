// Expiry benchmark helper for bench/http/expiry.sh; plain Node.js, no packages.
//
//   URL=<service> KEY=<key> [TENANT=expiry] [USERS=100000] [IDLE=120] node expiry.mjs sign-on
//     Signs on USERS users once each (64 at a time) with an idle timeout of IDLE seconds; prints one JSON line.
//
//   URL=<service> KEY=<key> [TENANT=expiry] [USERS=100000] [WAIT=900] node expiry.mjs watch
//     Follows the tenant's session.expired events in the feed until USERS have come, and prints one JSON line: how
//     long after each session's expiry (its occurredAt) its event could be read, p50/p99/max, and when the last came;
//     fails after WAIT seconds without them all.
import { jsonClient } from './client.mjs';

const tenant = process.env.TENANT ?? 'expiry';
const users = Number(process.env.USERS ?? 100000);

const { call, close } = jsonClient(process.env.URL, process.env.KEY);

if (process.argv[2] === 'sign-on') {
  const body = {
    ip: '203.0.113.7', authMethod: 'password', clientId: 'web', idleTimeout: Number(process.env.IDLE ?? 120),
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  };
  const started = Date.now();
  let next = 0, errors = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < users) {
      const user = `exp-u${next++}`;
      const answer = await call('POST', `/v1/tenants/${tenant}/users/${user}/sessions`, body);
      if (answer.status !== 201) {
        errors++;
      }
    }
  }));
  console.log(JSON.stringify({ users, errors, seconds: (Date.now() - started) / 1000 }));
} else if (process.argv[2] === 'watch') {
  const lags = [];
  let after = '', lastExpiry = 0, lastSeen = 0;
  const deadline = Date.now() + Number(process.env.WAIT ?? 900) * 1000;
  while (lags.length < users) {
    if (Date.now() > deadline) {
      throw new Error(`only ${lags.length} of ${users} session.expired events after ${process.env.WAIT ?? 900} s`);
    }
    const answer = await call('GET', `/v1/tenants/${tenant}/events?type=session.expired&limit=1000${after ? `&after=${after}` : ''}`);
    if (answer.status !== 200) {
      throw new Error(`feed: ${answer.status} ${answer.body}`);
    }
    const page = JSON.parse(answer.body);
    const now = Date.now();
    for (const event of page.items) {
      const expiry = Date.parse(event.occurredAt);
      lags.push(now - expiry);
      lastExpiry = Math.max(lastExpiry, expiry);
      lastSeen = now;
    }
    after = page.next;
    if (page.items.length < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  lags.sort((a, b) => a - b);
  const percentile = (p) => lags[Math.min(lags.length - 1, Math.ceil(p * lags.length) - 1)] / 1000;
  console.log(JSON.stringify({
    expired: lags.length, p50Seconds: percentile(0.5), p99Seconds: percentile(0.99), maxSeconds: percentile(1),
    lastEventAfterLastExpirySeconds: (lastSeen - lastExpiry) / 1000,
  }));
} else {
  console.error('usage: node expiry.mjs sign-on|watch');
  process.exit(2);
}
close();
