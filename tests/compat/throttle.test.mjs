// Throttling as Graph does it (aihistory serve --throttle-profile graph: about 30 requests/s per app
// per tenant, 429 TooManyRequests with Retry-After) and the retry handlers of Microsoft's clients:
// they retry (up to 3 times, honouring Retry-After) without the caller noticing; once the retries
// are exhausted the 429 reaches the caller as GraphError (classic) or ODataError (Kiota).
//
// The load is made by the clients themselves: more concurrent requests than the bucket holds
// (30). Which requests get a 429 depends on timing; what is asserted does not: at least one 429 is
// answered and retried, every request of a recovering run ends in 200 with the right data, and in
// an overwhelming run every request that fails made exactly 4 attempts, all answered 429.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { randomUUID } from "node:crypto";
import { BULK_USER, serveOptions, userPath } from "./lib/aihistory.mjs";
import { assertSameIdsOnce, exportOrder, startSeeded } from "./lib/fixture.mjs";
import { runClassic } from "./lib/classic.mjs";
import { kiotaClient } from "./lib/kiota.mjs";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECOVER = 60;      // twice the bucket: recovers within 3 retries at 30 requests/s
const OVERWHELM = 300;   // far more than 4 attempts at 30 requests/s can serve (~120)

// Every HTTP exchange Kiota makes in this process, observed by wrapping the global fetch that
// msgraph-sdk-core hands to Kiota's middleware chain (installed before the clients are made).
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  const response = await realFetch(input, init);
  exchanges.push({
    url: typeof input === "string" ? input : input.url,
    call: headers.get("x-compat-call"),
    retryAttempt: headers.get("retry-attempt"),
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
  });
  return response;
};

let server;
let bulk;
let firstFive;
before(async () => {
  const options = await serveOptions();
  assert.ok(options.has("--throttle-profile"),
            "`aihistory serve --help` lists no --throttle-profile: the Graph-emulation throttle is missing");
  // 300 calls at once open as many connections from one address: this suite tests Graph's request
  // throttle, not the per-address connection limit (docs/security.md), so that limit is lifted.
  ({ server, bulk } = await startSeeded({
    serveArgs: ["--throttle-profile", "graph", "--max-connections-per-address", "0"],
  }));
  firstFive = exportOrder(bulk).slice(0, 5).map((i) => i.id);
});
after(() => server?.stop());

// The exchanges of each call, by client-request-id (classic) or x-compat-call (Kiota).
function byCall(list, key) {
  const calls = new Map();
  for (const x of list) {
    if (!x[key]) continue;
    if (!calls.has(x[key])) calls.set(x[key], []);
    calls.get(x[key]).push(x);
  }
  return calls;
}

// A call's attempts: the first without Retry-Attempt, then Retry-Attempt 1, 2, ... after each 429
// that carried a Retry-After in whole seconds.
function assertRetriedProperly(attempts, what) {
  attempts.forEach((x, n) => {
    assert.equal(x.retryAttempt, n === 0 ? null : String(n), `${what}: Retry-Attempt of attempt ${n + 1}`);
    if (n < attempts.length - 1) {
      assert.equal(x.status, 429, `${what}: attempt ${n + 1} was retried after ${x.status}`);
      assert.match(x.retryAfter ?? "", /^[1-9]\d*$/, `${what}: Retry-After of a 429`);
    }
  });
}

// The token bucket refills at 30 requests/s: start each scenario with a full one.
const refill = () => sleep(1500);

describe("classic client under Graph's throttle", () => {
  test(`${RECOVER} concurrent requests: the retry handler recovers unnoticed, then PageIterator reads all 2,500`, async (t) => {
    await refill();
    const report = await runClassic(server, {
      name: "concurrent", concurrent: RECOVER,
      request: { path: userPath(BULK_USER.id), top: 5 },
      thenPage: { path: userPath(BULK_USER.id), top: 100 },
    });
    const { calls, paged } = report.result;
    for (const c of calls) {
      assert.equal(c.ok, true, `a call failed: ${JSON.stringify(c.error)}`);
      assert.deepEqual(c.ids, firstFive);
    }
    const attempts = byCall(report.exchanges, "clientRequestId");
    assert.equal(attempts.size, RECOVER + 25, "one client-request-id per call and per page");
    let throttled = 0;
    for (const c of calls) {
      const a = attempts.get(c.clientRequestId);
      assertRetriedProperly(a, c.clientRequestId);
      assert.equal(a.at(-1).status, 200);
      throttled += a.length - 1;
    }
    t.diagnostic(`${throttled} retries after a 429; all ${RECOVER} calls succeeded`);
    assert.ok(throttled > 0, `no 429 among ${RECOVER} concurrent requests: is the Graph throttle on?`);
    assert.equal(paged.complete, true);
    assertSameIdsOnce(paged.ids, bulk.map((i) => i.id));
  });

  test(`${OVERWHELM} concurrent requests: with the retries exhausted the 429 surfaces as GraphError`, async (t) => {
    await refill();
    const report = await runClassic(server, {
      name: "concurrent", concurrent: OVERWHELM, request: { path: userPath(BULK_USER.id), top: 5 },
    });
    const attempts = byCall(report.exchanges, "clientRequestId");
    const failed = report.result.calls.filter((c) => !c.ok);
    t.diagnostic(`${failed.length} of ${OVERWHELM} calls ended in a 429 after 3 retries`);
    assert.ok(failed.length > 0, "every call succeeded: the throttle did not hold");
    for (const c of report.result.calls) {
      const a = attempts.get(c.clientRequestId);
      assertRetriedProperly(a, c.clientRequestId);
      if (c.ok) {
        assert.deepEqual(c.ids, firstFive);
        continue;
      }
      assert.deepEqual(a.map((x) => x.status), [429, 429, 429, 429], "4 attempts (3 retries), all throttled");
      const e = c.error;
      assert.equal(e.isGraphError, true);
      assert.equal(e.statusCode, 429);
      assert.equal(e.code, "TooManyRequests");
      assert.match(e.message, /\S/);
      assert.match(e.requestId ?? "", GUID);
      assert.equal(e.requestId, a.at(-1).requestId, "the last attempt's request-id");
      assert.match(e.headers["retry-after"] ?? "", /^[1-9]\d*$/, "Retry-After reaches the caller");
      assert.equal(JSON.parse(e.body).innerError["client-request-id"], c.clientRequestId);
    }
  });
});

describe("Kiota msgraph-sdk under Graph's throttle", () => {
  let k;
  before(() => { k = kiotaClient("v1.0", server.http, () => server.token()); });

  async function concurrent(n) {
    return Promise.all(Array.from({ length: n }, async () => {
      const call = randomUUID();
      const builder = k.userExport(BULK_USER.id);
      try {
        const page = await builder.get({ queryParameters: { top: 5 }, headers: { "x-compat-call": call } });
        return { call, ok: true, ids: page.value.map((i) => i.id) };
      } catch (e) {
        return { call, ok: false, error: e };
      }
    }));
  }

  test(`${RECOVER} concurrent requests: the retry handler recovers unnoticed`, async (t) => {
    await refill();
    exchanges.length = 0;
    const calls = await concurrent(RECOVER);
    const attempts = byCall(exchanges, "call");
    let throttled = 0;
    for (const c of calls) {
      assert.equal(c.ok, true, `a call failed: ${c.error?.message} ${c.error?.responseStatusCode}`);
      assert.deepEqual(c.ids, firstFive);
      const a = attempts.get(c.call);
      assertRetriedProperly(a, c.call);
      assert.equal(a.at(-1).status, 200);
      throttled += a.length - 1;
    }
    t.diagnostic(`${throttled} retries after a 429; all ${RECOVER} calls succeeded`);
    assert.ok(throttled > 0, `no 429 among ${RECOVER} concurrent requests: is the Graph throttle on?`);
  });

  test(`${OVERWHELM} concurrent requests: with the retries exhausted the 429 surfaces as ODataError`, async (t) => {
    await refill();
    exchanges.length = 0;
    const calls = await concurrent(OVERWHELM);
    const attempts = byCall(exchanges, "call");
    const failed = calls.filter((c) => !c.ok);
    t.diagnostic(`${failed.length} of ${OVERWHELM} calls ended in a 429 after 3 retries`);
    assert.ok(failed.length > 0, "every call succeeded: the throttle did not hold");
    for (const c of calls) {
      const a = attempts.get(c.call);
      assertRetriedProperly(a, c.call);
      if (c.ok) continue;
      assert.deepEqual(a.map((x) => x.status), [429, 429, 429, 429], "4 attempts (3 retries), all throttled");
      const e = c.error;
      assert.equal(e.responseStatusCode, 429);
      assert.equal(e.errorEscaped?.code, "TooManyRequests");
      assert.match(e.message, /\S/);
      assert.match(e.errorEscaped.innerError?.requestId ?? "", GUID);
      assert.match(e.responseHeaders["retry-after"]?.[0] ?? "", /^[1-9]\d*$/);
    }
  });
});
