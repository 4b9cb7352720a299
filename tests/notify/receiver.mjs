// A change-notification receiver written with nothing but Node's own modules, as a customer would
// write one: it answers the validation handshake, decrypts rich notifications with `crypto`
// (RSA-OAEP-SHA1 key unwrap, HMAC-SHA256 check, AES-256-CBC), verifies the validationTokens against
// the service's JWKS, and writes one JSON line per notification to --out for the test to read.
//
//   node receiver.mjs --key <private key PEM> --jwks <JWKS URL> --app <subscribing app id> --out <file>
//
// Prints "receiver listening on <port>" once it listens (an ephemeral loopback port).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const privateKey = args.key ? crypto.createPrivateKey(fs.readFileSync(args.key)) : null;
const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

let jwks = null;
async function publicKey(kid) {
  if (!jwks || !jwks.keys.some((k) => k.kid === kid)) {
    const response = await fetch(args.jwks);
    jwks = await response.json();
  }
  const jwk = jwks.keys.find((k) => k.kid === kid);
  return jwk ? crypto.createPublicKey({ key: jwk, format: 'jwk' }) : null;
}

// Why the token is not valid, or '' when it is.
async function checkToken(token) {
  const [header64, payload64, signature64] = token.split('.');
  const header = JSON.parse(Buffer.from(header64, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload64, 'base64url'));
  if (header.alg !== 'RS256') return `alg ${header.alg}`;
  const key = await publicKey(header.kid);
  if (!key) return `unknown kid ${header.kid}`;
  const signed = crypto.verify('RSA-SHA256', Buffer.from(`${header64}.${payload64}`), key, Buffer.from(signature64, 'base64url'));
  if (!signed) return 'bad signature';
  const now = Date.now() / 1000;
  if (claims.aud !== args.app) return `aud ${claims.aud}`;
  if (!(claims.exp > now && claims.nbf <= now + 300)) return 'expired or not yet valid';
  if ((claims.azp ?? claims.appid) !== CHANGE_TRACKING_APP_ID) return `azp ${claims.azp}`;
  if (!claims.iss || !claims.iss.endsWith(`/${claims.tid}/v2.0`)) return `iss ${claims.iss}`;
  return '';
}

function decrypt(content) {
  const key = crypto.privateDecrypt(
    { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(content.dataKey, 'base64'));
  const data = Buffer.from(content.data, 'base64');
  const signature = crypto.createHmac('sha256', key).update(data).digest('base64');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  return { plain, signatureValid: signature === content.dataSignature };
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://receiver');
  const validationToken = url.searchParams.get('validationToken');
  if (validationToken !== null) {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end(validationToken);  // already decoded by URLSearchParams
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const tokenProblems = [];
      for (const token of body.validationTokens ?? []) {
        const problem = await checkToken(token);
        if (problem) tokenProblems.push(problem);
      }
      const lines = body.value.map((item) => {
        const line = {
          path: url.pathname,
          id: item.id,
          subscriptionId: item.subscriptionId,
          changeType: item.changeType ?? null,
          lifecycleEvent: item.lifecycleEvent ?? null,
          clientState: item.clientState ?? null,
          resource: item.resource ?? null,
          resourceId: item.resourceData?.id ?? null,
          userId: item.resourceData?.['@aihistory.userId'] ?? null,
          tokens: (body.validationTokens ?? []).length,
          tokenProblems,
          decrypted: null,
          signatureValid: null,
          thumbprint: item.encryptedContent?.encryptionCertificateThumbprint ?? null,
          certificateId: item.encryptedContent?.encryptionCertificateId ?? null,
        };
        if (item.encryptedContent) {
          const { plain, signatureValid } = decrypt(item.encryptedContent);
          line.decrypted = plain;
          line.signatureValid = signatureValid;
        }
        return JSON.stringify(line);
      });
      fs.appendFileSync(args.out, lines.map((l) => l + '\n').join(''));
      response.writeHead(202);
      response.end();
    } catch (error) {
      fs.appendFileSync(args.out, JSON.stringify({ error: String(error.stack ?? error) }) + '\n');
      response.writeHead(500);
      response.end();
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`receiver listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
