// Runs lib/classic-driver.mjs (the classic client) in its own Node process that trusts aihistory's
// self-signed certificate through NODE_EXTRA_CA_CERTS, and returns its report.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const driver = fileURLToPath(new URL("./classic-driver.mjs", import.meta.url));

export function runClassic(server, scenario) {
  const env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: server.certFile,
    AIH_COMPAT_CONTEXT: JSON.stringify({
      https: server.https,
      tenantId: server.tenantId,
      clientId: server.creds.exporter.clientId,
      clientSecret: server.creds.exporter.clientSecret,
    }),
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [driver, JSON.stringify(scenario)], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop();
      let report;
      try {
        report = JSON.parse(line);
      } catch {
        return reject(new Error(`the classic-client driver printed no report (${err?.code ?? "exit 0"}):\n${stdout}\n${stderr}`));
      }
      if (report.thrown) {
        return reject(new Error(`the classic client threw: ${JSON.stringify(report.thrown)}\n${report.stack}\n` +
                                `exchanges: ${JSON.stringify(report.exchanges.slice(-5))}`));
      }
      resolve(report);
    });
  });
}
