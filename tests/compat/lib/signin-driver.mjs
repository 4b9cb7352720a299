// Microsoft's sign-in libraries against aihistory's token issuer over HTTPS, then Microsoft's Graph
// clients paging with the token they got: what a real Graph tool does, with no static token.
//
// Run as its own Node process by signin.test.mjs, because Node reads the certificate authorities to
// trust (NODE_EXTRA_CA_CERTS=<store>/tls/cert.pem, aihistory's self-signed certificate) only when it
// starts. Libraries:
//   identity-secret   @azure/identity ClientSecretCredential
//   identity-cert     @azure/identity ClientCertificateCredential (PS256 with x5t#S256)
//   msal-secret       @azure/msal-node ConfidentialClientApplication, clientSecret
//   msal-cert         ... clientCertificate {thumbprintSha256, privateKey} (PS256, x5t#S256)
//   msal-cert-sha1    ... clientCertificate {thumbprint, privateKey} (RS256, x5t)
// Neither library may call Microsoft's instance discovery (only loopback here): Azure.Identity is
// given disableInstanceDiscovery, MSAL knownAuthorities, or (discovery "instance") the body of
// aihistory's own /common/discovery/instance as cloudDiscoveryMetadata. Prints one JSON line.
//
//   node signin-driver.mjs '<scenario JSON>'     with AIH_COMPAT_CONTEXT='<context JSON>'
import { createHash, X509Certificate } from "node:crypto";
import { ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { Client, PageIterator } from "@microsoft/microsoft-graph-client";
import { iterateAll, kiotaClient } from "./kiota.mjs";

const context = JSON.parse(process.env.AIH_COMPAT_CONTEXT);
const scenario = JSON.parse(process.argv[2]);
const SCOPE = "https://graph.microsoft.com/.default";

// The Graph requests the clients make (Kiota and the classic client call the global fetch; the
// sign-in libraries use Node's https module and are not observed here).
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  const headers = new Headers(init?.headers ?? (typeof input === "string" ? undefined : input.headers));
  const response = await realFetch(input, init);
  exchanges.push({ url, authorization: headers.get("authorization"), status: response.status });
  return response;
};

async function credentialFor(library) {
  const { https, tenantId, clientId, clientSecret, certificatePem, privateKeyPem } = context;
  const identityOptions = { authorityHost: https, disableInstanceDiscovery: true };
  const der = new X509Certificate(certificatePem).raw;
  const thumbprint = (algorithm) => createHash(algorithm).update(der).digest("hex");
  switch (library) {
    case "identity-secret": {
      const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, identityOptions);
      return async () => (await credential.getToken(SCOPE)).token;
    }
    case "identity-cert": {
      const credential = new ClientCertificateCredential(tenantId, clientId,
        { certificate: certificatePem + privateKeyPem }, identityOptions);
      return async () => (await credential.getToken(SCOPE)).token;
    }
    case "msal-secret":
    case "msal-cert":
    case "msal-cert-sha1": {
      const host = new URL(https).host;
      const auth = { clientId, authority: `${https}/${tenantId}` };
      if (scenario.discovery === "instance") {
        const url = `${https}/common/discovery/instance?api-version=1.1&authorization_endpoint=` +
                    encodeURIComponent(`${https}/${tenantId}/oauth2/v2.0/authorize`);
        auth.cloudDiscoveryMetadata = await (await realFetch(url)).text();
      } else {
        auth.knownAuthorities = [host];
      }
      if (library === "msal-secret") auth.clientSecret = clientSecret;
      if (library === "msal-cert") auth.clientCertificate = { thumbprintSha256: thumbprint("sha256"), privateKey: privateKeyPem };
      if (library === "msal-cert-sha1") auth.clientCertificate = { thumbprint: thumbprint("sha1"), privateKey: privateKeyPem };
      const app = new ConfidentialClientApplication({ auth });
      return async () => (await app.acquireTokenByClientCredential({ scopes: [SCOPE] })).accessToken;
    }
  }
  throw new Error(`unknown library ${library}`);
}

async function pageWithKiota(getToken) {
  const k = kiotaClient("v1.0", context.https, getToken);
  const first = await k.userExport(context.userId).get({ queryParameters: { top: scenario.top } });
  const { items } = await iterateAll(k, first);
  return items.map((i) => i.id);
}

async function pageWithClassic(getToken) {
  const client = Client.init({
    baseUrl: context.https,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(context.https).hostname]),
    authProvider: (done) => { getToken().then((t) => done(null, t), (e) => done(e, null)); },
  });
  const path = `/copilot/users/${context.userId}/interactionHistory/getAllEnterpriseInteractions`;
  const first = await client.api(path).top(scenario.top).get();
  const ids = [];
  await new PageIterator(client, first, (item) => { ids.push(item.id); return true; }).iterate();
  return ids;
}

try {
  const getToken = await credentialFor(scenario.library);
  const token = await getToken();
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  const ids = scenario.client === "classic" ? await pageWithClassic(getToken) : await pageWithKiota(getToken);
  process.stdout.write(JSON.stringify({ claims, ids, exchanges }) + "\n");
} catch (e) {
  process.stdout.write(JSON.stringify({ thrown: { name: e?.name, message: e?.message, errorCode: e?.errorCode }, stack: e?.stack, exchanges }) + "\n");
  process.exitCode = 3;
}
