// /metrics as Prometheus reads it: scraped with a Prometheus text-format parser from npm
// (parse-prometheus-text-format, the format of prom2json), every family of aihistory's metrics has
// the type the monitoring expects, the counters move with the traffic, and the endpoint answers only
// its own token (never a Graph bearer token).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { BULK_USER, userPath } from "./lib/aihistory.mjs";
import { startSeeded } from "./lib/fixture.mjs";

const TOKEN = "compat-metrics-token-0c3e5d7f9a1b";

let server;
let bulk;
before(async () => {
  ({ server, bulk } = await startSeeded({ serveArgs: ["--metrics-token", TOKEN] }));
});
after(() => server?.stop());

async function scrape(authorization) {
  const res = await fetch(`${server.http}/metrics`, authorization ? { headers: { authorization } } : {});
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

test("/metrics refuses a request without the metrics token, with a wrong one, and with a Graph token", async () => {
  assert.equal((await scrape()).status, 401);
  assert.equal((await scrape("Bearer not-the-token")).status, 401);
  assert.equal((await scrape(`Bearer ${await server.token("exporter")}`)).status, 401);
  assert.equal((await scrape(`Bearer ${await server.token("writer")}`)).status, 401);
});

test("a Prometheus parser reads every family with its type, and the counters follow the traffic", async () => {
  const page = await server.rawGet(`/v1.0${userPath(BULK_USER.id)}?$top=10`);
  assert.equal(page.status, 200);
  const { status, type, text } = await scrape(`Bearer ${TOKEN}`);
  assert.equal(status, 200);
  assert.match(type, /^text\/plain; version=0\.0\.4/);
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const expected = {
    aihistory_http_requests_total: "COUNTER",
    aihistory_http_request_duration_seconds: "HISTOGRAM",
    aihistory_interactions_ingested_total: "COUNTER",
    aihistory_ingested_bytes_total: "COUNTER",
    aihistory_interactions_exported_total: "COUNTER",
    aihistory_exported_bytes_total: "COUNTER",
    aihistory_connections_open: "GAUGE",
    aihistory_store_size_bytes: "GAUGE",
    aihistory_requests_refused_total: "COUNTER",
    aihistory_write_batch_items: "HISTOGRAM",
    aihistory_commit_group_writes: "HISTOGRAM",
    aihistory_commit_duration_seconds: "HISTOGRAM",
    aihistory_notification_queue_depth: "GAUGE",
    aihistory_notification_deliveries_total: "COUNTER",
    aihistory_notification_receivers_in_backoff: "GAUGE",
  };
  for (const [name, kind] of Object.entries(expected)) {
    assert.ok(families.has(name), `${name} is missing from /metrics:\n${text}`);
    assert.equal(families.get(name).type, kind, name);
  }
  const value = (name) => Number(families.get(name).metrics[0].value);
  assert.ok(value("aihistory_interactions_ingested_total") >= bulk.length);
  assert.ok(value("aihistory_interactions_exported_total") >= 10);
  assert.ok(value("aihistory_store_size_bytes") > 0);
  // Every refusal reason and delivery outcome is a series from the start (at zero here).
  const reasons = families.get("aihistory_requests_refused_total").metrics.map((m) => m.labels.reason).sort();
  assert.deepEqual(reasons, ["body_too_large", "connection_limit", "lockout", "starting", "storage_full", "throttled"]);
  const outcomes = families.get("aihistory_notification_deliveries_total").metrics.map((m) => m.labels.outcome).sort();
  assert.deepEqual(outcomes, ["delivered", "dropped", "failed"]);
  // The export's series: labelled by the route template, never the user's id.
  const requests = families.get("aihistory_http_requests_total").metrics;
  const exports = requests.filter((m) => m.labels.route === "/v1.0/copilot/users/{user}/interactionHistory/getAllEnterpriseInteractions");
  assert.ok(exports.some((m) => m.labels.method === "GET" && m.labels.status === "200" && Number(m.value) >= 1),
            JSON.stringify(requests));
  assert.ok(!text.includes(BULK_USER.id));
  assert.ok(requests.some((m) => m.labels.route === "/metrics" && m.labels.status === "401"));
  // (This parser folds the series of a labelled histogram into one: its unlabelled histograms are
  // checked whole.) The seeding wrote batches, so each write's size and each commit was observed.
  for (const name of ["aihistory_write_batch_items", "aihistory_commit_duration_seconds", "aihistory_commit_group_writes"]) {
    assert.equal(families.get(name)?.type, "HISTOGRAM", name);
    const [histogram] = families.get(name).metrics;
    assert.ok(Number(histogram.count) >= 1, `${name}: ${JSON.stringify(histogram)}`);
    assert.equal(histogram.buckets["+Inf"], histogram.count, name);
    assert.ok(Number(histogram.sum) > 0, name);
  }
});
