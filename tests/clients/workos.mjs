// Drives WorkOS' official Node client (@workos-inc/node) against a running Orleans.Sessions, for
// tests/Orleans.Sessions.Api.Tests/Compat/OfficialClientTests.cs.
//
//   WORKOS_BASE_URL=http://127.0.0.1:8080 WORKOS_API_KEY=<key> [WORKOS_REQUEST_ID=<id>] node workos.mjs '<steps as JSON>'
//
// Steps (run in order, each with its own client call):
//   { "op": "list",   "userId", "options" }               listSessions(userId, options): one page
//   { "op": "walk",   "userId", "options", "follow" }     that page, then the page named by listMetadata[follow]
//                                                         (passed as the option of that name) until it is null
//   { "op": "all",    "userId", "options" }               listSessions(userId, options).autoPagination()
//   { "op": "revoke", "sessionId" }                       revokeSession({ sessionId })
// Prints one JSON array: per step { "result": … } or, when the client raised an API error, { "error": { name,
// status, code, message, requestID } }. Anything else (bad arguments, no connection) exits 1.
import { WorkOS } from '@workos-inc/node';

const MaxPages = 50;

function fail(message) {
  process.stderr.write(`workos.mjs: ${message}\n`);
  process.exit(1);
}

const baseUrl = new URL(process.env.WORKOS_BASE_URL ?? fail('WORKOS_BASE_URL is not set'));
const apiKey = process.env.WORKOS_API_KEY ?? fail('WORKOS_API_KEY is not set');
const steps = JSON.parse(process.argv[2] ?? fail('no steps given'));

// The client's own options for another API host: hostname, port, and plain HTTP. No retries, so a failure
// shows at once. WORKOS_REQUEST_ID, when set, is sent as the caller's own X-Request-ID (the client's config.headers).
const requestId = process.env.WORKOS_REQUEST_ID;
const workos = new WorkOS(apiKey, {
  apiHostname: baseUrl.hostname,
  port: baseUrl.port ? Number(baseUrl.port) : undefined,
  https: baseUrl.protocol === 'https:',
  maxRetries: 0,
  ...(requestId && { config: { headers: { 'X-Request-ID': requestId } } }),
});

const page = (list) => ({ data: list.data, listMetadata: list.listMetadata });

async function run(step) {
  switch (step.op) {
    case 'list':
      return page(await workos.userManagement.listSessions(step.userId, step.options));
    case 'walk': {
      const pages = [];
      let options = step.options ?? {};
      for (;;) {
        const list = await workos.userManagement.listSessions(step.userId, options);
        pages.push(page(list));
        const cursor = list.listMetadata[step.follow];
        if (!cursor) {
          return pages;
        }
        if (pages.length === MaxPages) {
          throw new Error(`listMetadata.${step.follow} still named a page after ${MaxPages} pages`);
        }
        options = { ...options, before: undefined, after: undefined, [step.follow]: cursor };
      }
    }
    case 'all':
      return (await workos.userManagement.listSessions(step.userId, step.options)).autoPagination();
    case 'revoke':
      await workos.userManagement.revokeSession({ sessionId: step.sessionId });
      return { revoked: step.sessionId };
    default:
      throw new Error(`unknown op '${step.op}'`);
  }
}

const results = [];
for (const step of steps) {
  try {
    results.push({ result: await run(step) });
  } catch (error) {
    // The client's API exceptions carry the HTTP status; anything else is not an answer of the service.
    if (typeof error?.status !== 'number') {
      fail(`step ${JSON.stringify(step)} failed: ${error?.stack ?? error}`);
    }
    const { name, status, code, message, requestID } = error;
    results.push({ error: { name, status, code, message, requestID } });
  }
}
process.stdout.write(JSON.stringify(results));
