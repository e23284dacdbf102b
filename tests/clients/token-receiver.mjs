// A receiver of the tokens the service signs, for tests/Orleans.Sessions.Api.Tests/Keys and …/Backchannel: every token is
// checked with the `jose` package (panva/jose), against the JWKS it fetches over HTTP from the service — never with the
// service's own code.
//
//   JWKS_URI=<url> ISSUER=<issuer> [FAIL_WHILE=<file>] [PORT=<port>] node token-receiver.mjs
//
// Listens on 127.0.0.1 (on PORT, or a free port) and prints one JSON line per happening:
//   { "kind": "listening", "port" }
//   { "kind": "logout", "client", "header", "claims", "contentType", "token" }
//        POST /backchannel/{client}: a form with `logout_token`, verified as OpenID Connect Back-Channel Logout 1.0
//        §2.6 says a relying party must (signature by a key of the JWKS, RS256, typ logout+jwt, iss, aud = the client,
//        iat, exp, jti, events with the back-channel-logout member holding an object, sub or sid, no nonce): 200
//   { "kind": "refused", "client" }     FAIL_WHILE names a file that exists: 503, nothing verified
//   { "kind": "invalid", "client", "error" }   a token that fails any check: 400 (the spec's answer)
//   { "kind": "unavailable", …, "error" }      the JWKS could not be fetched to check it: 503, so the service tries again
//   { "kind": "set", "audience", "header", "claims", "authorization" }
//        POST /ssf/{audience}: a pushed Security Event Token (RFC 8935: application/secevent+jwt), verified as the Shared
//        Signals Framework 1.0 profiles RFC 8417 (signature, RS256, typ secevent+jwt, iss, aud, iat, jti, sub_id,
//        exactly one event, no sub, no exp): 202; an invalid one 400 with { err, description }
// POST /verify with JSON { token, audience, typ } answers { valid, error?, header?, claims? }, checked against a JWKS
// fetched afresh — so a test asks whether a token verifies now (during a key's overlap, after it); a typ of
// secevent+jwt is held to the SET profile above (a polled SET, RFC 8936).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const jwksUri = new URL(process.env.JWKS_URI);
const issuer = process.env.ISSUER;
const logoutEvent = 'http://schemas.openid.net/event/backchannel-logout';

// A fresh key set each time: jose caches the JWKS it fetched, and the tests want what the service publishes now.
const verify = async (token, audience, typ) => {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(jwksUri, { cacheMaxAge: 0 }), {
    issuer,
    audience,
    typ,
    algorithms: ['RS256'],
    requiredClaims: ['iat', 'jti'],
  });
  return { header: protectedHeader, claims: payload };
};

const verifyLogout = async (token, client) => {
  const { header, claims } = await verify(token, client, 'logout+jwt');
  if (typeof claims.exp !== 'number') throw new Error('no exp');
  const events = claims.events;
  if (typeof events !== 'object' || events === null || typeof events[logoutEvent] !== 'object' || events[logoutEvent] === null) {
    throw new Error('events lacks the back-channel-logout member as an object');
  }
  if (claims.sub === undefined && claims.sid === undefined) throw new Error('neither sub nor sid');
  if ('nonce' in claims) throw new Error('a logout token must not carry a nonce');
  return { header, claims };
};

const verifySet = async (token, audience) => {
  const { header, claims } = await verify(token, audience, 'secevent+jwt');
  if ('sub' in claims) throw new Error('a SET must not carry sub');
  if ('exp' in claims) throw new Error('a SET must not carry exp');
  if (typeof claims.sub_id !== 'object' || claims.sub_id === null || typeof claims.sub_id.format !== 'string') throw new Error('no sub_id');
  if (typeof claims.events !== 'object' || claims.events === null || Object.keys(claims.events).length !== 1) throw new Error('not exactly one event');
  return { header, claims };
};

// A token that could not be checked because the JWKS could not be fetched (the service busy, a silo going away) is not
// an invalid token: the receiver answers 503, as a relying party would, and the service tries again later.
const unreachable = (error) => error?.code === 'ERR_JWKS_TIMEOUT'
  || (error?.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set HTTP response/.test(error.message))
  || (error instanceof TypeError && /fetch failed/.test(error.message));
const refuse = (response, error, line, body) => {
  if (unreachable(error)) {
    print({ ...line, kind: 'unavailable', error: String(error) });
    response.writeHead(503).end();
    return;
  }
  print({ ...line, kind: 'invalid', error: String(error) });
  response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

const read = (request) => new Promise((resolve) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
});

const server = createServer(async (request, response) => {
  const body = await read(request);
  const url = new URL(request.url, 'http://receiver');
  if (request.method === 'POST' && url.pathname === '/verify') {
    const { token, audience, typ } = JSON.parse(body);
    let answer;
    try {
      answer = { valid: true, ...(await (typ === 'secevent+jwt' ? verifySet(token, audience) : verify(token, audience, typ))) };
    } catch (error) {
      answer = { valid: false, error: String(error), header: decodeProtectedHeader(token) };
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    return;
  }

  const ssf = /^\/ssf\/(.+)$/.exec(url.pathname);
  if (request.method === 'POST' && ssf) {
    const audience = decodeURIComponent(ssf[1]);
    try {
      if (request.headers['content-type'] !== 'application/secevent+jwt') throw new Error(`content-type ${request.headers['content-type']}`);
      const { header, claims } = await verifySet(body, audience);
      print({ kind: 'set', audience, header, claims, authorization: request.headers.authorization ?? null });
      response.writeHead(202).end();
    } catch (error) {
      refuse(response, error, { audience }, { err: 'invalid_request', description: String(error) });
    }
    return;
  }

  const match = /^\/backchannel\/(.+)$/.exec(url.pathname);
  if (request.method !== 'POST' || !match) {
    response.writeHead(404).end();
    return;
  }

  const client = decodeURIComponent(match[1]);
  if (process.env.FAIL_WHILE && existsSync(process.env.FAIL_WHILE)) {
    print({ kind: 'refused', client });
    response.writeHead(503).end();
    return;
  }

  const contentType = request.headers['content-type'];
  try {
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) throw new Error(`content-type ${contentType}`);
    const token = new URLSearchParams(body).get('logout_token');
    if (!token) throw new Error('no logout_token');
    const { header, claims } = await verifyLogout(token, client);
    print({ kind: 'logout', client, header, claims, contentType, token });
    response.writeHead(200, { 'cache-control': 'no-store' }).end();
  } catch (error) {
    refuse(response, error, { client }, { error: 'invalid_request' });
  }
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => print({ kind: 'listening', port: server.address().port }));
