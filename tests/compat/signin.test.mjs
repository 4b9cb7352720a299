// Microsoft's sign-in libraries (@azure/identity, @azure/msal-node) get tokens from aihistory's own
// issuer over HTTPS, with a client secret and with a certificate, and Microsoft's Graph clients page
// with them (issue 19, item 1). Each library runs in its own Node process (lib/signin-driver.mjs)
// that trusts aihistory's self-signed certificate through NODE_EXTRA_CA_CERTS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { binary, RICH_USER, startAihistory } from "./lib/aihistory.mjs";
import { FIRST_PARTY } from "./lib/data.mjs";

const execFileP = promisify(execFile);
const driver = fileURLToPath(new URL("./lib/signin-driver.mjs", import.meta.url));
const ITEMS = 7;  // $top=2: four pages

let server;
let certificatePem;
let privateKeyPem;
let written;

before(async () => {
  server = await startAihistory();
  // The exporter's certificate credential: a self-signed RSA certificate, registered with the admin API.
  const cert = join(server.dir, "exporter-cert.pem");
  const key = join(server.dir, "exporter-key.pem");
  await execFileP("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                              "-days", "2", "-subj", "/CN=aihistory compat exporter"]);
  certificatePem = await readFile(cert, "utf8");
  privateKeyPem = await readFile(key, "utf8");
  const adminKey = (await execFileP(binary, ["admin", "key", "--store", server.dir])).stdout.trim();
  const res = await fetch(`${server.http}/admin/applications/${server.creds.exporter.clientId}/certificates`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ certificate: certificatePem }),
  });
  assert.equal(res.status, 201, await res.text());

  const items = Array.from({ length: ITEMS }, (_, i) => ({
    "@aihistory.userId": RICH_USER.id, id: `signin-${i}`, appClass: FIRST_PARTY[0], interactionType: "userPrompt",
    createdDateTime: `2026-02-0${i + 1}T10:00:00Z`, body: { contentType: "text", content: `prompt ${i}` },
  }));
  await server.write(items);
  written = items.map((i) => i.id).reverse();  // newest first
});
after(() => server?.stop());

function runDriver(scenario) {
  const env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: server.certFile,
    AIH_COMPAT_CONTEXT: JSON.stringify({
      https: server.https, tenantId: server.tenantId, userId: RICH_USER.id,
      clientId: server.creds.exporter.clientId, clientSecret: server.creds.exporter.clientSecret,
      certificatePem, privateKeyPem,
    }),
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [driver, JSON.stringify({ top: 2, ...scenario })], { env, maxBuffer: 16 << 20 },
             (err, stdout, stderr) => {
      let report;
      try {
        report = JSON.parse(stdout.trim().split("\n").pop());
      } catch {
        return reject(new Error(`the sign-in driver printed no report (${err?.code ?? "exit 0"}):\n${stdout}\n${stderr}`));
      }
      if (report.thrown) return reject(new Error(`${scenario.library} threw: ${JSON.stringify(report.thrown)}\n${report.stack}`));
      resolve(report);
    });
  });
}

// The token is aihistory's, for the exporter, and every page went over https with it.
function check(report) {
  const origin = new URL(server.https).origin;
  assert.equal(report.claims.iss, `${origin}/${server.tenantId}/v2.0`, "the issuer the discovery document names");
  assert.equal(report.claims.appid, server.creds.exporter.clientId);
  assert.deepEqual(report.claims.roles, ["AiEnterpriseInteraction.Read.All"]);
  assert.deepEqual(report.ids, written);
  // The Graph requests (a library that signs in with fetch would add its own, to the issuer).
  const pages = report.exchanges.filter((x) => new URL(x.url).pathname.startsWith("/v1.0/"));
  assert.equal(pages.length, Math.ceil(ITEMS / 2), "one request per page");
  for (const x of pages) {
    assert.ok(x.url.startsWith(`${server.https}/v1.0/`), x.url);
    assert.match(x.authorization ?? "", /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, x.url);
    assert.equal(x.status, 200, x.url);
  }
}

describe("the discovery document Microsoft's libraries read", () => {
  test("names an https issuer on the authority's host and port, and every required member", async () => {
    const res = await fetch(`${server.http}/${server.tenantId}/v2.0/.well-known/openid-configuration`);
    const doc = await res.json();
    assert.equal(new URL(doc.issuer).origin, new URL(server.https).origin);
    for (const m of ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported",
                     "subject_types_supported", "id_token_signing_alg_values_supported"]) {
      assert.ok(m in doc, m);
    }
    const authorize = await fetch(doc.authorization_endpoint.replace(server.https, server.http), { redirect: "manual" });
    assert.equal(authorize.status, 400);
    assert.equal((await authorize.json()).error, "unsupported_response_type");
  });
});

describe("@azure/identity over https", () => {
  test("ClientSecretCredential, paged with the Kiota Graph SDK", async () => {
    check(await runDriver({ library: "identity-secret", client: "kiota" }));
  });
  test("ClientCertificateCredential, paged with the classic Graph client", async () => {
    check(await runDriver({ library: "identity-cert", client: "classic" }));
  });
});

describe("@azure/msal-node ConfidentialClientApplication over https", () => {
  test("with a client secret, paged with the classic Graph client", async () => {
    check(await runDriver({ library: "msal-secret", client: "classic" }));
  });
  test("with a client secret and aihistory's instance discovery as cloudDiscoveryMetadata (Kiota)", async () => {
    check(await runDriver({ library: "msal-secret", client: "kiota", discovery: "instance" }));
  });
  test("with a certificate (SHA-256 thumbprint, PS256), paged with the Kiota Graph SDK", async () => {
    check(await runDriver({ library: "msal-cert", client: "kiota" }));
  });
  test("with a certificate (SHA-1 thumbprint, RS256), paged with the classic Graph client", async () => {
    check(await runDriver({ library: "msal-cert-sha1", client: "classic" }));
  });
});
