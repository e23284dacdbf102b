// Seeds a target of bench/run.sh: USERS users of tenant "bench" with PER_USER sessions each ("s-u0" …), 64 sign-ons at a
// time; writes one line per session to OUT: "<user> <session id> <token>". Plain Node.js, no packages.
//   URL=<target> KEY=<key> [USERS=1000] [PER_USER=10] OUT=<file> node seed.mjs
import { request as httpRequest, Agent } from 'node:http';
import { writeFileSync } from 'node:fs';

const base = new URL(process.env.URL);
const users = Number(process.env.USERS ?? 1000);
const perUser = Number(process.env.PER_USER ?? 10);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const body = Buffer.from(JSON.stringify({
  ip: '203.0.113.7', authMethod: 'password', clientId: 'web',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
}));

const signOn = (user) => new Promise((resolve, reject) => {
  const req = httpRequest({
    agent, host: base.hostname, port: base.port, method: 'POST', path: `/v1/tenants/bench/users/${user}/sessions`,
    headers: { authorization: `Bearer ${process.env.KEY}`, 'content-type': 'application/json', 'content-length': body.length },
  }, (response) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('end', () => response.statusCode === 201
      ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      : reject(new Error(`sign-on of ${user}: ${response.statusCode}`)));
  });
  req.on('error', reject);
  req.end(body);
});

// Round by round, so each user's sessions are made one after another (a user's ring keeps its newest ten).
const lines = [];
for (let round = 0; round < perUser; round++) {
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < users) {
      const user = `s-u${next++}`;
      const answer = await signOn(user);
      lines.push(`${user} ${answer.session.id} ${answer.token}`);
    }
  }));
}
writeFileSync(process.env.OUT, lines.join('\n') + '\n');
agent.destroy();
