// OTLP ingest with real emitters: an app using the `openai` npm client, instrumented by the official
// OpenTelemetry GenAI instrumentation, by OpenLLMetry's and by OpenInference's (all from npm, pinned
// by the lockfile), exporting through the OpenTelemetry JS SDK's OTLP exporters (protobuf and JSON)
// to aihistory, holds a multi-turn conversation with a tool call against a local fake
// OpenAI-compatible model server. The interactions are then read back through the Graph export and
// compared with what the app sent and received, message for message.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startAihistory, userPath } from "./lib/aihistory.mjs";

const execFileP = promisify(execFile);
const APP = fileURLToPath(new URL("./lib/genai-app.cjs", import.meta.url));
const APP_CLASS = "Contoso.Travel.Assistant";
const TOOL_CALL = "application/vnd.opentelemetry.gen-ai.tool-call+json";
const TOOL_RESPONSE = "application/vnd.opentelemetry.gen-ai.tool-call-response";

// A fake OpenAI-compatible model: asked about the weather it calls get_weather, given the tool's
// result it answers with it, asked about tomorrow it answers that.
function startModel() {
  let n = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      if (req.method !== "POST" || !req.url.endsWith("/chat/completions")) {
        res.writeHead(404).end();
        return;
      }
      const { messages, model } = JSON.parse(body);
      const last = messages[messages.length - 1];
      let message;
      let finish = "stop";
      if (last.role === "tool") {
        message = { role: "assistant", content: `It is ${last.content}.`, refusal: null };
      } else if (/tomorrow/i.test(last.content)) {
        message = { role: "assistant", content: "Tomorrow brings rain and 14°C.", refusal: null };
      } else {
        message = {
          role: "assistant", content: null, refusal: null,
          tool_calls: [{ id: `call_weather_${++n}`, type: "function",
                         function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } }],
        };
        finish = "tool_calls";
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        id: `chatcmpl-${++n}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
        usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server;
let model;
let modelUrl;
before(async () => {
  server = await startAihistory();
  model = await startModel();
  modelUrl = `http://127.0.0.1:${model.address().port}/v1`;
  // The travel assistant is a third-party source of the demo tenant, written by the demo writer app,
  // with its export on.
  const admin = (method, path, body) => fetch(`${server.http}/admin/tenants/${server.tenantId}${path}`, {
    method,
    headers: { "X-Aihistory-Admin-Key": server.creds.adminKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  let res = await admin("POST", "/sources", { appClass: APP_CLASS, kind: "third-party", displayName: "Travel assistant",
                                              writers: [server.creds.writer.clientId] });
  assert.equal(res.status, 201, await res.text());
  res = await admin("PATCH", `/sources/${APP_CLASS}`, { exportEnabled: true });
  assert.equal(res.status, 200, await res.text());
});
after(async () => {
  model?.close();
  await server?.stop();
});

async function runApp(options) {
  const config = { endpoint: server.http, token: await server.token("writer"), modelUrl,
                   user: server.creds.users.licensed.id, serviceName: "Travel assistant", ...options };
  const { stdout } = await execFileP(process.execPath, [APP, JSON.stringify(config)], { timeout: 120_000 });
  return JSON.parse(stdout);
}

async function exported(userId, traceId) {
  const pages = await server.rawPages(`/v1.0${userPath(userId)}?$top=100`);
  return pages.flatMap((p) => p.value)
    .filter((i) => i.id.startsWith(`${traceId}-`))
    .sort((a, b) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1
                                                                 : a.interactionType === "userPrompt" ? -1 : 1));
}

// What each call of the app must have become: the prompt holds the messages the call added to the
// conversation, the response what the model answered.
function expectedFor(call) {
  let from = 0;
  call.input.forEach((m, i) => { if (m.role === "assistant") from = i + 1; });
  const added = call.input.slice(from);
  const toolNames = new Map();
  for (const m of call.input) for (const tc of m.tool_calls || []) toolNames.set(tc.id, tc.function.name);
  const prompt = {
    body: added.filter((m) => m.role === "user").map((m) => m.content).join("\n\n"),
    attachments: added.flatMap((m) => {
      if (m.role === "system") return [{ contentType: "text/plain", name: "system instructions", content: m.content, attachmentId: null }];
      if (m.role === "tool") return [{ contentType: TOOL_RESPONSE, name: toolNames.get(m.tool_call_id), content: m.content, attachmentId: m.tool_call_id }];
      return [];
    }),
  };
  const response = {
    body: call.output.content ?? "",
    attachments: (call.output.tool_calls || []).map((tc) => ({
      contentType: TOOL_CALL, name: tc.function.name, content: tc.function.arguments, attachmentId: tc.id,
    })),
  };
  return [prompt, response];
}

function shape(interaction) {
  return {
    body: interaction.body.content,
    attachments: interaction.attachments.map(({ contentType, name, content, attachmentId }) =>
      ({ contentType, name, content, attachmentId })),
  };
}

async function checkConversation(app, { userId = server.creds.users.licensed.id, session } = {}) {
  assert.equal(app.calls.length, 3);
  const got = await exported(userId, app.traceId);
  assert.equal(got.length, 6, `six interactions for the three calls, got ${JSON.stringify(got.map((i) => i.id))}`);
  // The pairs, by requestId. Their order in time is the calls' order, but a fast model server can
  // answer within the millisecond the next call starts in, so each call is matched by its content.
  const pairs = new Map();
  for (const i of got) pairs.set(i.requestId, [...(pairs.get(i.requestId) || []), i]);
  assert.equal(pairs.size, 3);
  const unmatched = [...pairs.values()].map((pair) => {
    assert.equal(pair.length, 2);
    const prompt = pair.find((i) => i.interactionType === "userPrompt");
    const response = pair.find((i) => i.interactionType === "aiResponse");
    assert.ok(prompt && response, JSON.stringify(pair));
    assert.equal(prompt.appClass, APP_CLASS);
    assert.equal(response.appClass, APP_CLASS);
    assert.equal(prompt.sessionId, session ?? app.traceId);
    assert.equal(response.sessionId, prompt.sessionId);
    assert.equal(prompt.from.user.id, userId);
    assert.ok(prompt.createdDateTime <= response.createdDateTime);
    return { prompt: shape(prompt), response: shape(response), at: prompt.createdDateTime };
  });
  let last = "";
  for (let c = 0; c < 3; ++c) {
    const [prompt, response] = expectedFor(app.calls[c]);
    const k = unmatched.findIndex((p) => JSON.stringify(p.prompt) === JSON.stringify(prompt));
    assert.notEqual(k, -1, `call ${c + 1}: no exported prompt is ${JSON.stringify(prompt)}; exported: ${JSON.stringify(unmatched)}`);
    assert.deepEqual(unmatched[k].response, response, `call ${c + 1}: the response`);
    assert.ok(unmatched[k].at >= last, `call ${c + 1} is recorded before the call before it`);
    last = unmatched[k].at;
    unmatched.splice(k, 1);
  }
}

test("the official OpenTelemetry instrumentation (GenAI events as log records, OTLP protobuf)", async () => {
  const app = await runApp({ emitter: "official", traces: "proto" });
  await checkConversation(app);
});

test("OpenLLMetry's instrumentation (gen_ai.input.messages on spans, OTLP JSON, api-key header)", async () => {
  const app = await runApp({ emitter: "openllmetry", traces: "http", authHeader: "api-key",
                             user: server.creds.users.licensed.userPrincipalName });
  await checkConversation(app);
});

test("OpenInference's instrumentation (llm.input_messages on spans, OTLP protobuf, its session and user)", async () => {
  const app = await runApp({ emitter: "openinference", traces: "proto", session: "travel-session-42" });
  await checkConversation(app, { session: "travel-session-42" });
});
