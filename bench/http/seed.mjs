// Seeds a target of bench/run.sh: USERS users of tenant "bench" with PER_USER sessions each ("s-u0" …), 64 sign-ons at a
// time; writes one line per session to OUT: "<user> <session id> <token>". Plain Node.js, no packages.
//   URL=<target> KEY=<key> [USERS=1000] [PER_USER=10] OUT=<file> node seed.mjs
import { jsonClient } from './client.mjs';
import { writeFileSync } from 'node:fs';

const users = Number(process.env.USERS ?? 1000);
const perUser = Number(process.env.PER_USER ?? 10);
const { call, close } = jsonClient(process.env.URL, process.env.KEY);
const body = {
  ip: '203.0.113.7', authMethod: 'password', clientId: 'web',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

const signOn = async (user) => {
  const answer = await call('POST', `/v1/tenants/bench/users/${user}/sessions`, body);
  if (answer.status !== 201) {
    throw new Error(`sign-on of ${user}: ${answer.status} ${answer.body}`);
  }
  return JSON.parse(answer.body);
};

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
close();
