// A real aihistory server for the compatibility tests: a fresh data directory with the demo tenant
// (`aihistory demo-setup`), a few extra directory entries made with `aihistory admin` (a user with a
// large history, a user with hand-made rich interactions, a second tenant), then `aihistory serve`
// on free ports. Tokens come from the server's own token endpoint, as a Graph client gets them
// from Microsoft Entra ID.
//
// The binary is $AIH_BINARY, by default build/aihistory at the top of the repository.
import { spawn, execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileP = promisify(execFile);

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const binary = resolve(process.env.AIH_BINARY || join(repoRoot, "build", "aihistory"));

export const COPILOT_PLAN = "3f30311c-6b1e-48a4-ab79-725b469da960";

// Directory entries the tests add to the demo tenant (fixed ids, so failures are reproducible).
export const BULK_USER = {
  id: "5b0d6a1e-2f43-4c1e-9a55-000000002500",
  userPrincipalName: "bulk.exporter@contoso.example",
  displayName: "Bulk History (2,500 interactions)",
};
export const RICH_USER = {
  id: "7c1e2d3f-4a5b-4c6d-8e9f-0000000000a1",
  userPrincipalName: "rich.shapes@contoso.example",
  displayName: "Rich Shapes (every nested type)",
};
// A second tenant whose licensed user must be invisible (404) to the demo tenant's exporter.
export const OTHER_TENANT = { id: "0f0e0d0c-0b0a-4909-8807-060504030201", name: "Fabrikam (another tenant)" };
export const OTHER_TENANT_USER = {
  id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f00000bad",
  userPrincipalName: "someone@fabrikam.example",
  displayName: "Someone at Fabrikam",
};

async function run(args) {
  try {
    return await execFileP(binary, args, { maxBuffer: 16 << 20 });
  } catch (e) {
    throw new Error(`aihistory ${args.join(" ")} failed (${e.code}): ${e.stderr || e.message}`);
  }
}

// The options `aihistory serve --help` lists (to tell a missing feature from a failure).
export async function serveOptions() {
  const { stdout } = await execFileP(binary, ["serve", "--help"]);
  return new Set(stdout.match(/--[a-z][a-z0-9-]*/g) || []);
}

function waitForListeners(child, wanted) {
  return new Promise((resolvePromise, reject) => {
    const urls = {};
    let out = "";
    let err = "";
    const done = (e) => {
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining what the server prints later
      child.off("exit", onExit);
      clearTimeout(timer);
      e ? reject(e) : resolvePromise(urls);
    };
    const onData = (chunk) => {
      out += chunk;
      for (const m of out.matchAll(/^aihistory: listening on (https?):\/\/(\S+)$/gm)) urls[m[1]] = `${m[1]}://${m[2]}`;
      if (wanted.every((scheme) => urls[scheme])) done();
    };
    const onExit = (code, signal) => done(new Error(`aihistory serve exited (${code ?? signal}) before listening:\n${out}${err}`));
    // Not a timing assertion: only a guard so that a server that never comes up fails the suite
    // instead of hanging it.
    const timer = setTimeout(() => done(new Error(`aihistory serve did not listen within 60 s:\n${out}${err}`)), 60_000);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => { err = (err + c).slice(-65536); });
    child.on("exit", onExit);
  });
}

// Starts a server with its own data directory. `serveArgs` are extra `serve` options.
export async function startAihistory({ serveArgs = [] } = {}) {
  if (!existsSync(binary)) {
    throw new Error(`no aihistory binary at ${binary}: build it (scripts/build.sh) or set AIH_BINARY`);
  }
  const dir = await mkdtemp(join(tmpdir(), "aih-compat-"));
  try {
    await run(["demo-setup", "--store", dir]);
    const creds = JSON.parse(await readFile(join(dir, "demo-credentials.json"), "utf8"));

    // CSV, not JSON: `admin users import` of a JSON list with a "servicePlans" array crashes (SIGSEGV in
    // JsonFieldsReader::Read, src/directory/json_fields.cc) in the build this suite was written against.
    const csv = (...users) => "id,userPrincipalName,displayName,accountType,servicePlans\n" +
      users.map((u) => [u.id, u.userPrincipalName, `"${u.displayName}"`, "work", COPILOT_PLAN].join(",") + "\n").join("");
    await writeFile(join(dir, "compat-users.csv"), csv(BULK_USER, RICH_USER));
    await run(["admin", "users", "import", join(dir, "compat-users.csv"), "--tenant", creds.tenantId, "--store", dir]);
    await run(["admin", "tenant", "create", "--id", OTHER_TENANT.id, "--name", OTHER_TENANT.name, "--store", dir]);
    await writeFile(join(dir, "other-users.csv"), csv(OTHER_TENANT_USER));
    await run(["admin", "users", "import", join(dir, "other-users.csv"), "--tenant", OTHER_TENANT.id, "--store", dir]);

    const child = spawn(binary, ["serve", "--store", dir, "--port", "0", "--https-port", "0", ...serveArgs],
                        { stdio: ["ignore", "pipe", "pipe"] });
    process.once("exit", () => child.kill("SIGKILL")); // never outlive the tests
    let urls;
    try {
      urls = await waitForListeners(child, ["http", "https"]);
    } catch (e) {
      child.kill("SIGKILL");
      throw e;
    }
    return new Aihistory(dir, child, urls, creds);
  } catch (e) {
    if (!process.env.AIH_COMPAT_KEEP) await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

export class Aihistory {
  constructor(dir, child, urls, creds) {
    this.dir = dir;
    this.child = child;
    this.http = urls.http;    // e.g. http://127.0.0.1:40123
    this.https = urls.https;  // e.g. https://127.0.0.1:40124
    this.certFile = join(dir, "tls", "cert.pem");
    this.creds = creds;
    this.tenantId = creds.tenantId;
    this.tokens = new Map();
  }

  // An access token for "exporter" or "writer" from POST /{tenant}/oauth2/v2.0/token.
  token(app = "exporter") {
    if (!this.tokens.has(app)) {
      const pending = this.requestToken(app);
      pending.catch(() => this.tokens.delete(app));
      this.tokens.set(app, pending);
    }
    return this.tokens.get(app);
  }

  async requestToken(app) {
    const { clientId, clientSecret } = this.creds[app];
    const res = await fetch(`${this.http}/${this.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret,
                                  scope: "https://graph.microsoft.com/.default" }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${text}`);
    const body = JSON.parse(text);
    if (body.token_type !== "Bearer" || typeof body.access_token !== "string") throw new Error(`odd token response: ${text}`);
    return body.access_token;
  }

  // Writes `items` (each with "@aihistory.userId") through the write API, in batches; returns the
  // per-item reports. Throws unless every item is stored.
  async write(items, batchSize = 500) {
    const token = await this.token("writer");
    const reports = [];
    for (let i = 0; i < items.length; i += batchSize) {
      const res = await fetch(`${this.http}/v1.0/copilot/interactionHistory/interactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(items.slice(i, i + batchSize)),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`write answered ${res.status}: ${text.slice(0, 2000)}`);
      const body = JSON.parse(text);
      const refused = body.value.filter((r) => r.status !== "stored");
      if (refused.length) throw new Error(`items not stored: ${JSON.stringify(refused.slice(0, 5))}`);
      reports.push(...body.value.map((r) => ({ ...r, index: r.index + i })));
    }
    return reports;
  }

  // A plain GET with the exporter's token: {status, headers, body (parsed JSON or text)}.
  async rawGet(url, { token, headers = {} } = {}) {
    const res = await fetch(url.startsWith("http") ? url : this.http + url, {
      headers: { authorization: `Bearer ${token ?? (await this.token())}`, ...headers },
    });
    const text = await res.text();
    let body = text;
    if ((res.headers.get("content-type") || "").startsWith("application/json")) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body };
  }

  // Every raw page of a collection, following @odata.nextLink with plain fetch.
  async rawPages(firstUrl) {
    const pages = [];
    for (let url = firstUrl; url;) {
      const page = await this.rawGet(url);
      if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}: ${JSON.stringify(page.body)}`);
      pages.push(page.body);
      url = page.body["@odata.nextLink"];
      if (pages.length > 10_000) throw new Error("nextLink loop");
    }
    return pages;
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill("SIGTERM");
      // A server that does not stop within 30 s is killed, so that the suite ends either way.
      const kill = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(kill);
    }
    if (!process.env.AIH_COMPAT_KEEP) await rm(this.dir, { recursive: true, force: true });
  }
}

export function userPath(userId) {
  return `/copilot/users/${encodeURIComponent(userId)}/interactionHistory/getAllEnterpriseInteractions`;
}
