// The classic client, @microsoft/microsoft-graph-client 3.0.7, driven against aihistory over HTTPS.
//
// Run as its own Node process by classic.test.mjs and throttle.test.mjs, because the client sends
// its token only over https and Node reads the certificate authorities to trust
// (NODE_EXTRA_CA_CERTS=<store>/tls/cert.pem, aihistory's self-signed certificate) only when it
// starts. It does what a user's program does with the client (Client.init with baseUrl,
// defaultVersion, customHosts and an authProvider that gets its token from aihistory's token
// endpoint; api(...).top(...).filter(...).get(); PageIterator) and prints, as one JSON line, what the
// client returned or threw, plus every HTTP exchange the client made (observed by wrapping the
// global fetch the client calls, without changing what it sends or receives). The tests assert on
// that report.
//
//   node classic-driver.mjs '<scenario JSON>'     with AIH_COMPAT_CONTEXT='<context JSON>'
import { randomUUID } from "node:crypto";
import { Client, GraphError, PageIterator, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";

const context = JSON.parse(process.env.AIH_COMPAT_CONTEXT);
const scenario = JSON.parse(process.argv[2]);

// Every exchange the client makes: what was sent and what came back.
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  const headers = new Headers(init?.headers ?? (typeof input === "string" ? undefined : input.headers));
  const response = await realFetch(input, init);
  exchanges.push({
    url,
    method: init?.method ?? "GET",
    authorization: headers.get("authorization"),
    clientRequestId: headers.get("client-request-id"),
    retryAttempt: headers.get("retry-attempt"),
    sdkVersion: headers.get("sdkversion"),
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    requestId: response.headers.get("request-id"),
    contentType: response.headers.get("content-type"),
  });
  return response;
};

// The token, as an application gets it: client credentials at aihistory's token endpoint.
let cachedToken;
function tokenFromEndpoint() {
  cachedToken ??= (async () => {
    const res = await realFetch(`${context.https}/${context.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials", client_id: context.clientId, client_secret: context.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }),
    });
    const body = await res.json();
    if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
    return body.access_token;
  })();
  return cachedToken;
}

const client = Client.init({
  baseUrl: context.https,                                 // https://127.0.0.1:<port>, no version
  defaultVersion: scenario.defaultVersion ?? "v1.0",
  customHosts: new Set([new URL(context.https).hostname]), // so the token and telemetry are sent
  authProvider: (done) => {
    const token = scenario.token ? Promise.resolve(scenario.token) : tokenFromEndpoint();
    token.then((t) => done(null, t), (e) => done(e, null));
  },
});

function request(s, clientRequestId) {
  let r = client.api(s.path);
  if (s.version) r = r.version(s.version);
  if (s.top !== undefined) r = r.top(s.top);
  if (s.filter !== undefined) r = r.filter(s.filter);
  if (s.query) r = r.query(s.query);
  if (clientRequestId) r = r.header("client-request-id", clientRequestId);
  if (s.retry) r = r.middlewareOptions([new RetryHandlerOptions(s.retry.delay, s.retry.maxRetries)]);
  return r;
}

function describeError(e) {
  return {
    isGraphError: e instanceof GraphError,
    name: e?.name,
    statusCode: e?.statusCode,
    code: e?.code,
    message: e?.message,
    requestId: e?.requestId,
    date: e?.date instanceof Date ? (isNaN(e.date) ? "Invalid Date" : e.date.toISOString()) : null,
    body: typeof e?.body === "string" ? e.body : e?.body === undefined ? null : `<${typeof e.body}>`,
    headers: e?.headers && typeof e.headers.entries === "function" ? Object.fromEntries(e.headers.entries()) : null,
  };
}

async function pageAll(s) {
  const first = await request(s).get();
  const items = [];
  const iterator = new PageIterator(client, first, (item) => { items.push(item); return true; });
  await iterator.iterate();
  return {
    complete: iterator.isComplete(),
    ids: items.map((i) => i.id),
    items: s.keepItems ? items : undefined,
  };
}

const scenarios = {
  // Pages through a collection with PageIterator.
  page: pageAll,

  // One request that must fail.
  async error(s) {
    try {
      const value = await request(s, s.clientRequestId).get();
      return { resolved: true, value };
    } catch (e) {
      return { resolved: false, error: describeError(e) };
    }
  },

  // Many concurrent requests, each told apart by its client-request-id; then, optionally, a full
  // PageIterator run. With `retry`, each request carries those RetryHandlerOptions.
  async concurrent(s) {
    const calls = await Promise.all(Array.from({ length: s.concurrent }, async (_, i) => {
      const clientRequestId = randomUUID();
      try {
        const page = await request(s.request, clientRequestId).get();
        return { clientRequestId, ok: true, ids: page.value.map((x) => x.id) };
      } catch (e) {
        return { clientRequestId, ok: false, error: describeError(e) };
      }
    }));
    const paged = s.thenPage ? await pageAll(s.thenPage) : undefined;
    return { calls, paged };
  },
};

try {
  const result = await scenarios[scenario.name](scenario);
  process.stdout.write(JSON.stringify({ result, exchanges: exchanges.filter((x) => !x.url.includes("/oauth2/")) }) + "\n");
} catch (e) {
  process.stdout.write(JSON.stringify({ thrown: describeError(e), stack: e?.stack, exchanges }) + "\n");
  process.exitCode = 3;
}
