// A seeded server and what was written to it: the bulk user's 2,500 interactions and the rich
// user's hand-made ones, with the ids the server acknowledged (it assigns one to an item without).
import assert from "node:assert/strict";
import { BULK_USER, RICH_USER, startAihistory } from "./aihistory.mjs";
import { bulkHistory, richInteractions, ticks } from "./data.mjs";

export async function startSeeded(options) {
  const server = await startAihistory(options);
  try {
    const bulkItems = bulkHistory(BULK_USER.id, server.tenantId);
    const bulkReports = await server.write(bulkItems);
    const richItems = richInteractions(RICH_USER.id, server.tenantId);
    const richReports = await server.write(richItems);
    // What was written, with the acknowledged ids.
    const withIds = (items, reports) => items.map((item, i) => {
      assert.equal(reports[i].index, i);
      if (item.id !== undefined) assert.equal(reports[i].id, item.id);
      return { ...item, id: reports[i].id };
    });
    return { server, bulk: withIds(bulkItems, bulkReports), rich: withIds(richItems, richReports) };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

// Newest first; equal createdDateTime by id, descending (the contract's order, section 4).
export function exportOrder(items) {
  return [...items].sort((a, b) => {
    const ta = ticks(a.createdDateTime);
    const tb = ticks(b.createdDateTime);
    if (ta !== tb) return ta > tb ? -1 : 1;
    return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
  });
}

// `received` holds each of `expected` exactly once, and nothing else.
export function assertSameIdsOnce(received, expected, what = "ids") {
  const counts = new Map();
  for (const id of received) counts.set(id, (counts.get(id) || 0) + 1);
  const dup = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(dup, [], `${what}: received more than once`);
  const want = new Set(expected);
  const extra = received.filter((id) => !want.has(id));
  const missing = expected.filter((id) => !counts.has(id));
  assert.deepEqual({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }, { missing: [], extra: [] },
                   `${what}: ${missing.length} missing, ${extra.length} unexpected`);
  assert.equal(received.length, expected.length, what);
}
