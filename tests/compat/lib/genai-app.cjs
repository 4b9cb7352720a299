// An AI app instrumented with OpenTelemetry as its authors would: the `openai` npm client, one of the
// real GenAI instrumentations from npm, the OpenTelemetry JS SDK and an OTLP exporter pointed at
// aihistory. It holds a multi-turn conversation with a tool call against a model server (the test's
// fake OpenAI-compatible server), then flushes its telemetry and prints, as JSON, the conversation as
// the app saw it: the test compares it, message for message, with what aihistory exports.
//
// CommonJS on purpose: the instrumentations patch `openai` through require hooks.
//   node genai-app.cjs <config JSON>
// config: {emitter: "official"|"openllmetry"|"openinference", traces: "proto"|"http", endpoint,
//          token, authHeader: "authorization"|"api-key", modelUrl, user, serviceName, session}
"use strict";
const config = JSON.parse(process.argv[2]);

const api = require("@opentelemetry/api");
const { NodeTracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace-node");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { registerInstrumentations } = require("@opentelemetry/instrumentation");

const headers = config.authHeader === "api-key" ? { "api-key": config.token }
                                                 : { Authorization: `Bearer ${config.token}` };
const resource = resourceFromAttributes({ "service.name": config.serviceName, "enduser.id": config.user });
const TraceExporter = config.traces === "http" ? require("@opentelemetry/exporter-trace-otlp-http").OTLPTraceExporter
                                               : require("@opentelemetry/exporter-trace-otlp-proto").OTLPTraceExporter;
const traceExporter = new TraceExporter({ url: `${config.endpoint}/v1/traces`, headers });
const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(traceExporter)] });
tracerProvider.register();

let loggerProvider;
let instrumentation;
if (config.emitter === "official") {
  // The official instrumentation sends the content as GenAI events, which are log records.
  process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = "true";
  const { LoggerProvider, BatchLogRecordProcessor } = require("@opentelemetry/sdk-logs");
  const { OTLPLogExporter } = require("@opentelemetry/exporter-logs-otlp-proto");
  const logsApi = require("@opentelemetry/api-logs");
  loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${config.endpoint}/v1/logs`, headers }) })],
  });
  logsApi.logs.setGlobalLoggerProvider(loggerProvider);
  const { OpenAIInstrumentation } = require("@opentelemetry/instrumentation-openai");
  instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
} else if (config.emitter === "openllmetry") {
  const { OpenAIInstrumentation } = require("@traceloop/instrumentation-openai");
  instrumentation = new OpenAIInstrumentation({ traceContent: true });
} else if (config.emitter === "openinference") {
  const { OpenAIInstrumentation } = require("@arizeai/openinference-instrumentation-openai");
  instrumentation = new OpenAIInstrumentation();
} else {
  throw new Error(`unknown emitter ${config.emitter}`);
}
registerInstrumentations({ tracerProvider, loggerProvider, instrumentations: [instrumentation] });

const OpenAI = require("openai");
if (config.emitter === "openinference") {
  // As its documentation shows for apps whose module loading it cannot hook.
  instrumentation.manuallyInstrument(OpenAI);
}

const tools = [{
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
}];

async function conversation() {
  const client = new OpenAI({ apiKey: "sk-test-not-a-real-key", baseURL: config.modelUrl, maxRetries: 0 });
  const messages = [
    { role: "system", content: "You are a travel assistant." },
    { role: "user", content: "What's the weather in Paris?" },
  ];
  const calls = [];
  const ask = async () => {
    const sent = messages.length;
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools });
    const answer = completion.choices[0].message;
    calls.push({ input: messages.slice(0), output: answer, newFrom: sent });
    messages.push(answer.tool_calls ? { role: "assistant", content: answer.content ?? null, tool_calls: answer.tool_calls }
                                    : { role: "assistant", content: answer.content });
    return answer;
  };
  const first = await ask();
  for (const call of first.tool_calls || []) {
    const args = JSON.parse(call.function.arguments);
    messages.push({ role: "tool", tool_call_id: call.id, content: `18°C and sunny in ${args.city}` });
  }
  await ask();
  messages.push({ role: "user", content: "And tomorrow?" });
  await ask();
  return calls;
}

async function main() {
  const tracer = api.trace.getTracer("contoso-travel-app");
  let traceId;
  let ctx = api.context.active();
  if (config.emitter === "openinference" && config.session) {
    const { setSession, setUser } = require("@arizeai/openinference-core");
    ctx = setUser(setSession(ctx, { sessionId: config.session }), { userId: config.user });
  }
  const calls = await api.context.with(ctx, () => tracer.startActiveSpan("travel conversation", async (span) => {
    traceId = span.spanContext().traceId;
    try {
      return await conversation();
    } finally {
      span.end();
    }
  }));
  await tracerProvider.forceFlush();
  if (loggerProvider) await loggerProvider.forceFlush();
  await tracerProvider.shutdown();
  if (loggerProvider) await loggerProvider.shutdown();
  process.stdout.write(JSON.stringify({ traceId, calls }));
}

// An export that fails is only logged by the SDK: make it fail the app, so that the test sees it.
api.diag.setLogger({
  error: (...args) => { process.stderr.write(`otel error: ${args.join(" ")}\n`); process.exitCode = 3; },
  warn: (...args) => { process.stderr.write(`otel warn: ${args.join(" ")}\n`); },
  info: () => {}, debug: () => {}, verbose: () => {},
}, api.DiagLogLevel.WARN);

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(2);
});
