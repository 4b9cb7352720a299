// The classic Graph client, @microsoft/microsoft-graph-client 3.0.7, against a real aihistory over
// HTTPS (issue 5, item 2). The client runs in its own process (lib/classic-driver.mjs) that trusts
// aihistory's self-signed certificate through NODE_EXTRA_CA_CERTS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { BULK_USER, OTHER_TENANT_USER, userPath } from "./lib/aihistory.mjs";
import { BIZCHAT, FIRST_PARTY, ticks } from "./lib/data.mjs";
import { assertSameIdsOnce, exportOrder, startSeeded } from "./lib/fixture.mjs";
import { runClassic } from "./lib/classic.mjs";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let server;
let bulk;
before(async () => {
  ({ server, bulk } = await startSeeded());
});
after(() => server?.stop());

// Pages through the bulk user with PageIterator and checks that the ids received are exactly the
// ids written that `keep` selects, each once, newest first, and how the client got them.
async function pageAndCheck({ version = "v1.0", filter, keep = () => true, defaultVersion }) {
  const expected = exportOrder(bulk.filter(keep)).map((i) => i.id);
  assert.ok(expected.length > 100, "the filter must select more than one page");
  // The version comes from the client's defaultVersion when given, else from .version() per request.
  const report = await runClassic(server, {
    name: "page", path: userPath(BULK_USER.id), version: defaultVersion ? undefined : version, defaultVersion, top: 100, filter,
  });
  const { ids, complete } = report.result;
  assert.equal(complete, true, "PageIterator.isComplete()");
  assertSameIdsOnce(ids, expected);
  assert.deepEqual(ids, expected, "newest first, ties by id descending");

  // One request per page, every one over https to aihistory with the token from its token
  // endpoint, answered 200; the first carries $top and $filter, the others follow @odata.nextLink.
  const ex = report.exchanges;
  assert.equal(ex.length, Math.ceil(expected.length / 100), "requests");
  for (const x of ex) {
    assert.ok(x.url.startsWith(`${server.https}/${version}${userPath(BULK_USER.id)}`), x.url);
    assert.match(x.authorization ?? "", /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, `token sent to ${x.url}`);
    assert.match(x.clientRequestId ?? "", GUID, "client-request-id");
    assert.match(x.sdkVersion ?? "", /^graph-js\/3\.0\.7/, "SdkVersion");
    assert.equal(x.status, 200, x.url);
    assert.match(x.requestId ?? "", GUID, "request-id of the response");
    assert.match(x.contentType ?? "", /^application\/json/);
  }
  const first = new URL(ex[0].url);
  assert.equal(first.searchParams.get("$top"), "100");
  assert.equal(first.searchParams.get("$filter"), filter ?? null);
  for (const x of ex.slice(1)) assert.ok(new URL(x.url).searchParams.get("$skiptoken"), `nextLink without $skiptoken: ${x.url}`);
  return report;
}

describe("classic client: PageIterator over 2,500 interactions, $top=100, https", () => {
  test("all of them (v1.0)", async () => {
    assert.equal(bulk.length, 2500);
    await pageAndCheck({});
  });

  test("all of them (beta, as the client's defaultVersion)", async () => {
    await pageAndCheck({ version: "beta", defaultVersion: "beta" });
  });

  test("$filter on appClass", async () => {
    await pageAndCheck({ filter: `appClass eq '${BIZCHAT}'`, keep: (i) => i.appClass === BIZCHAT });
  });

  test("$filter on a createdDateTime window (7-digit bound included, upper bound excluded)", async () => {
    const lo = bulk[1000].createdDateTime;
    const hi = bulk[1800].createdDateTime;
    assert.match(lo, /\.\d{7}Z$/, "the lower bound has 7 fractional digits");
    const keep = (i) => ticks(i.createdDateTime) >= ticks(lo) && ticks(i.createdDateTime) < ticks(hi);
    await pageAndCheck({ filter: `createdDateTime ge ${lo} and createdDateTime lt ${hi}`, keep });
  });

  test("$filter on appClass and a window, with or and parentheses (beta)", async () => {
    const [word, excel] = [FIRST_PARTY[1], FIRST_PARTY[2]];
    const lo = bulk[600].createdDateTime;
    const keep = (i) => (i.appClass === word || i.appClass === excel) && ticks(i.createdDateTime) > ticks(lo);
    await pageAndCheck({
      version: "beta",
      filter: `(appClass eq '${word}' or appClass eq '${excel}') and createdDateTime gt ${lo}`,
      keep,
    });
  });
});

describe("classic client: errors arrive as GraphError", () => {
  // Each case: the request, and the status, code and message the contract says (section 8).
  const unknownUser = "00000000-0000-4000-8000-0000000000ff";
  const cases = [
    { title: "400: $top=0", req: { top: 0 }, status: 400, code: "BadRequest", message: /\$top/ },
    { title: "400: $top=-5", req: { top: -5 }, status: 400, code: "BadRequest", message: /\$top/ },
    { title: "400: $top=abc", req: { query: { $top: "abc" } }, status: 400, code: "BadRequest", message: /\$top/ },
    { title: "400: $filter that ends early", req: { filter: "appClass eq" }, status: 400, code: "BadRequest", message: /position \d+/ },
    { title: "400: $filter on an unknown property", req: { filter: "color eq 'red'" }, status: 400, code: "BadRequest", message: /color/ },
    { title: "400: $filter with an operator the property does not support", req: { filter: "sessionId ne 'x'" },
      status: 400, code: "BadRequest", message: /ne/ },
    { title: "400: a malformed $search", req: { query: { $search: "budget AND" } }, status: 400, code: "BadRequest", message: /search/i },
    { title: "403: a user without the Copilot license", req: { user: "unlicensed" }, status: 403, code: "Forbidden", message: /licen[cs]e/i },
    { title: "404: an unknown user", req: { user: unknownUser }, status: 404, code: "ResourceNotFound", message: /\S/ },
    { title: "404: a user of another tenant", req: { user: OTHER_TENANT_USER.id }, status: 404, code: "ResourceNotFound", message: /\S/ },
    { title: "401: a token that is no token", req: { token: "not-a-token" }, status: 401, code: "InvalidAuthenticationToken", message: /\S/ },
  ];

  const outcomes = new Map();
  for (const c of cases) {
    test(c.title, async () => {
      const user = c.req.user === "unlicensed" ? server.creds.users.unlicensed.id : c.req.user ?? BULK_USER.id;
      const clientRequestId = randomUUID();
      const report = await runClassic(server, {
        name: "error", path: userPath(user), clientRequestId,
        top: c.req.top, filter: c.req.filter, query: c.req.query, token: c.req.token,
      });
      assert.equal(report.result.resolved, false, `resolved with ${JSON.stringify(report.result.value)?.slice(0, 300)}`);
      const e = report.result.error;
      assert.equal(e.isGraphError, true, `threw ${JSON.stringify(e)}`);
      assert.equal(e.statusCode, c.status);
      assert.equal(e.code, c.code);
      assert.match(e.message, c.message);
      assert.equal(report.exchanges.length, 1, "not retried");
      const [x] = report.exchanges;
      assert.equal(x.status, c.status);
      assert.match(x.contentType ?? "", /^application\/json/);
      // requestId is the server's request-id; the client-request-id the client sent is echoed.
      assert.match(e.requestId ?? "", GUID, "GraphError.requestId");
      assert.equal(e.requestId, x.requestId, "GraphError.requestId is the response's request-id header");
      assert.equal(x.clientRequestId, clientRequestId, "client-request-id sent");
      const body = JSON.parse(e.body);
      assert.equal(body.innerError["client-request-id"], clientRequestId, "client-request-id echoed");
      assert.equal(body.innerError["request-id"], e.requestId);
      assert.notEqual(e.date, "Invalid Date", "GraphError.date");
      assert.ok(Math.abs(Date.parse(e.date) - Date.now()) < 24 * 3600_000, `GraphError.date ${e.date} is today`);
      // The message is the server's own, as plain fetch sees it.
      const raw = await server.rawGet(x.url.replace(server.https, server.http),
                                      c.req.token ? { token: c.req.token } : undefined);
      assert.equal(raw.status, c.status);
      assert.equal(e.message, raw.body.error.message);
      if (c.status === 401) assert.match(e.headers["www-authenticate"] ?? "", /^Bearer/, "WWW-Authenticate");
      outcomes.set(c.title, e.message);
    });
  }

  test("404: another tenant's user is indistinguishable from a user that does not exist", () => {
    const unknown = outcomes.get("404: an unknown user");
    const other = outcomes.get("404: a user of another tenant");
    assert.ok(unknown && other, "both 404 cases ran");
    assert.equal(other.replaceAll(OTHER_TENANT_USER.id, "<id>"), unknown.replaceAll(unknownUser, "<id>"));
  });
});
