// The docs test: every shell example in README.md and docs/*.md runs, as written, against a live demo
// server, so that an example cannot rot. Node's own modules only.
//
//   node tests/docs/run_examples.mjs [--binary build/aihistory] [--source .] [FILE.md ...]
//   (ctest: docs_examples; AIH_DOCS_VERBOSE=1 prints what the examples print, AIH_DOCS_KEEP=1 keeps
//   the temporary directories)
//
// The convention (also in docs/design.md, "Examples in the docs"):
//   - A fenced block whose info string starts with sh, bash or shell is an example: it runs.
//   - Every other fenced block names what it is (```text for output and synopses, ```json, ```js,
//     ```sql, ...) and does not run. A fence without an info string is an error, and so is an indented
//     code block: nothing can slip past as "probably not a command".
//   - A shell block that must not run (it starts a server in the foreground, needs a machine that the
//     test does not have, ...) is preceded by `<!-- docs-test: skip <the reason> -->`; a marker without a
//     reason, or not followed by a shell block, is an error.
//
// How they run. Each Markdown file gets a fresh temporary directory laid out like a checkout after
// ./scripts/run-demo.sh: build/aihistory (the binary under test), data/demo (made by
// `aihistory demo-setup`), scripts/ and tests/ (links to the source's), with build/ on PATH, and a
// demo server serving data/demo. The file's shell blocks run in order in one bash (so a variable set
// in one block is there in the next) with `set -euo pipefail`, and with a `curl` that fails on an HTTP
// error (--fail-with-body): an example that gets a 401 fails the test, unless it prints the status
// itself with -w (an example that shows an error on purpose). Background processes an example
// starts are stopped with the file.
//
// Ports. The docs name the demo's ports (8080 for HTTP, 8443 for HTTPS) and 8090-8099 for receivers an
// example starts. The test never takes those ports (another demo, or another test, may hold them): the
// server listens on ports the OS chooses, each example's text has 8080 and 8443 replaced by them, and
// 8090-8099 by free ports. Substitution is on the whole number only (18080 stays).
//
// Exit status: 0 when every example of every file ran; 1 otherwise, after printing each failure with
// its file, line, text and output.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const RUNNABLE = new Set(['sh', 'bash', 'shell']);
const SKIP_MARKER = /^\s*<!--\s*docs-test:\s*skip\b\s*(.*?)\s*-->\s*$/;
const ANY_MARKER = /^\s*<!--\s*docs-test\b/;
const FILE_TIMEOUT_MS = 180_000;   // one file's examples; the slowest today takes about 25 s
const TOTAL_BUDGET_MS = 480_000;   // all files: ends well inside ctest's TIMEOUT of 600 s
const deadline = Date.now() + TOTAL_BUDGET_MS;

// What is running now (the demo server; the examples' process group), stopped if the test is killed.
const live = new Set();
const tempDirs = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const stop of live) stop();
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
}

function parseArgs(argv) {
  const args = { binary: process.env.AIH_BINARY ?? 'build/aihistory', source: '.', files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--binary') args.binary = argv[++i];
    else if (argv[i] === '--source') args.source = argv[++i];
    else args.files.push(argv[i]);
  }
  args.source = path.resolve(args.source);
  args.binary = path.resolve(args.binary);
  if (args.files.length === 0) {
    args.files.push('README.md');
    const docs = path.join(args.source, 'docs');
    for (const f of fs.readdirSync(docs).sort()) if (f.endsWith('.md')) args.files.push(path.join('docs', f));
  }
  return args;
}

// The file's code blocks: {line, info, text, skip} for fenced blocks; problems for what breaks the
// convention. `line` is 1-based, the opening fence's.
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  const problems = [];
  let pendingSkip = null;   // {line, reason} of a marker waiting for its block
  let listIndent = -1;      // content column of the list item we are in, -1 outside lists
  let previousBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (fence) {
      const [, indent, marker, info] = fence;
      const start = i;
      const body = [];
      for (i++; i < lines.length; i++) {
        const close = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).exec(lines[i]);
        if (close) break;
        body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
      }
      if (i >= lines.length) problems.push({ line: start + 1, message: 'a fence that is never closed' });
      if (!info) {
        problems.push({ line: start + 1, message: 'a fence without an info string: say what the block is ' +
                                                   '(```sh runs; ```text, ```json, ... do not)' });
      }
      const language = info.toLowerCase();
      const block = { line: start + 1, info: language, text: body.join('\n'), skip: null };
      if (pendingSkip) {
        if (!RUNNABLE.has(language)) {
          problems.push({ line: pendingSkip.line, message: 'a docs-test skip marker not followed by a shell block' });
        }
        block.skip = pendingSkip.reason;
        pendingSkip = null;
      }
      blocks.push(block);
      previousBlank = false;
      continue;
    }
    if (ANY_MARKER.test(line)) {
      const skip = SKIP_MARKER.exec(line);
      if (!skip) problems.push({ line: i + 1, message: 'unknown docs-test marker (the one marker is "<!-- docs-test: skip REASON -->")' });
      else if (!skip[1]) problems.push({ line: i + 1, message: 'a docs-test skip marker must give its reason' });
      else pendingSkip = { line: i + 1, reason: skip[1] };
      continue;
    }
    if (line.trim() === '') { previousBlank = true; continue; }
    if (pendingSkip) {
      problems.push({ line: pendingSkip.line, message: 'a docs-test skip marker not followed by a shell block' });
      pendingSkip = null;
    }
    const indent = line.length - line.trimStart().length;
    const item = /^(\s*)([-*+]|\d+[.)])(\s+)/.exec(line);
    if (item && item[1].length < 4 + Math.max(listIndent, 0)) {
      listIndent = item[1].length + item[2].length + item[3].length;
    } else if (indent === 0) {
      listIndent = -1;  // a paragraph at the margin ends the list
    }
    // CommonMark: after a blank line, four columns past the container's content start a code block.
    const codeIndent = (listIndent < 0 ? 0 : listIndent) + 4;
    if (previousBlank && indent >= codeIndent && !item) {
      problems.push({ line: i + 1, message: 'an indented code block: use a fence with an info string ' +
                                            '(```sh to run it, ```text if it does not run)' });
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || lines[i + 1].startsWith(' '.repeat(codeIndent)))) i++;
    }
    previousBlank = false;
  }
  if (pendingSkip) problems.push({ line: pendingSkip.line, message: 'a docs-test skip marker not followed by a shell block' });
  return { blocks, problems };
}

// The docs stand alone: a relative path (../x) that leaves the repository, or names nothing in it, is an error.
export function referencesOutside(markdown, fileDir, root) {
  const problems = [];
  markdown.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/(?<![.\w\/])(?:\.\.\/)+[^\s)`'"\]]*/g)) {
      const target = path.resolve(fileDir, m[0]);
      if ((target !== root && !target.startsWith(root + path.sep)) || !fs.existsSync(target)) {
        problems.push({ line: i + 1, message: `${m[0]} is not a file of the repository: the docs must stand alone` });
      }
    }
  });
  return problems;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Replaces the documented ports with the ones of this run (whole numbers only).
function substitutePorts(text, ports) {
  return text.replace(/(?<![0-9])(80[89][0-9]|8443)(?![0-9])/g, (m) => (ports.has(m) ? String(ports.get(m)) : m));
}

// serve's options that let loopback http receivers through, when this build has them (webhooks to
// 127.0.0.1 over http are what the docs' receivers use; a build that guards against SSRF refuses them
// unless told to allow them, as docs/tutorial.md says).
function receiverOptions(binary) {
  const help = spawnSync(binary, ['serve', '--help'], { encoding: 'utf8' }).stdout ?? '';
  const options = [];
  if (help.includes('--webhook-allow-http')) options.push('--webhook-allow-http');
  if (help.includes('--webhook-allow-network')) options.push('--webhook-allow-network', '127.0.0.0/8');
  return options;
}

// Starts `serve` on free ports over `store`; resolves to {process, http, https} once both listen.
function startServer(binary, store, cwd, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--store', store, '--port', '0', '--https-port', '0', ...extra],
                        { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => child.kill('SIGKILL');
    live.add(stop);
    child.once('exit', () => live.delete(stop));
    let out = '';
    const ports = {};
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not listen in 30 s:\n${out}`)); }, 30_000);
    const onData = (chunk) => {
      out += chunk;
      for (const m of out.matchAll(/listening on (https?):\/\/[^:]+:(\d+)/g)) ports[m[1]] = Number(m[2]);
      if (ports.http && ports.https) { clearTimeout(timer); resolve({ process: child, http: ports.http, https: ports.https, log: () => out }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}) before listening:\n${out}`)); });
  });
}

// The end of `text`: its last `lines` lines, and at most `chars` characters of them.
function tail(text, lines, chars) {
  const end = text.split('\n').slice(-lines).join('\n');
  return end.length > chars ? '…' + end.slice(-chars) : end;
}

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// Runs one file's runnable blocks; returns a failure description or null.
async function runFile(args, file, blocks, serveOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aih-docs-'));
  if (!process.env.AIH_DOCS_KEEP) tempDirs.add(dir);
  const work = path.join(dir, 'work');
  fs.mkdirSync(path.join(work, 'build'), { recursive: true });
  fs.symlinkSync(args.binary, path.join(work, 'build', 'aihistory'));
  // run-demo.sh builds the server alone into build-release/: the docs may name either.
  fs.mkdirSync(path.join(work, 'build-release'), { recursive: true });
  fs.symlinkSync(args.binary, path.join(work, 'build-release', 'aihistory'));
  for (const d of ['scripts', 'tests']) fs.symlinkSync(path.join(args.source, d), path.join(work, d));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const realCurl = run('bash', ['-c', 'command -v curl'], {}).trim();
  fs.writeFileSync(path.join(bin, 'curl'),
                   `#!/bin/sh\n# The docs test's curl: an HTTP error fails the example, unless the example prints the\n# status itself (-w/--write-out: it shows an error on purpose).\nfor a in "$@"; do case "$a" in -w|--write-out|-w*) exec ${realCurl} --show-error "$@";; esac; done\nexec ${realCurl} --fail-with-body --show-error "$@"\n`,
                   { mode: 0o755 });
  run(args.binary, ['demo-setup', '--store', 'data/demo'], { cwd: work });
  let server = null;
  try {
    server = await startServer(args.binary, 'data/demo', work, serveOptions);
    const ports = new Map([['8080', server.http], ['8443', server.https]]);
    for (let p = 8090; p <= 8099; p++) ports.set(String(p), await freePort());

    const state = path.join(dir, 'current-block');
    const script = ['set -euo pipefail'];
    blocks.forEach((b, n) => {
      const blockFile = path.join(dir, `block-${n}.sh`);
      fs.writeFileSync(blockFile, substitutePorts(b.text, ports) + '\n');
      script.push(`echo ${n} > ${state}`, `echo "::: ${file}:${b.line}" >&2`, `. ${blockFile}`);
    });
    fs.writeFileSync(path.join(dir, 'examples.sh'), script.join('\n') + '\n');
    const env = { ...process.env, PATH: `${bin}:${path.join(work, 'build')}:${process.env.PATH}`, HOME: dir };
    const result = await new Promise((resolve) => {
      const child = spawn('bash', [path.join(dir, 'examples.sh')], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const stopGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} };
      live.add(stopGroup);
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      const timeout = Math.max(1000, Math.min(FILE_TIMEOUT_MS, deadline - Date.now()));
      const timer = setTimeout(() => { output += `\n(timed out after ${Math.round(timeout / 1000)} s)`; stopGroup(); }, timeout);
      // 'exit', not 'close': a receiver an example left in the background holds the pipes open.
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        try { process.kill(-child.pid, 'SIGTERM'); } catch {}  // what the examples left running
        const done = () => resolve({ code: code ?? signal, output });
        const grace = setTimeout(() => { stopGroup(); done(); }, 5000);
        child.once('close', () => { clearTimeout(grace); done(); });
        setTimeout(() => { stopGroup(); live.delete(stopGroup); }, 6000).unref();  // stragglers that ignored SIGTERM
      });
    });
    if (process.env.AIH_DOCS_VERBOSE) console.log(result.output);
    if (result.code === 0) return null;
    const n = fs.existsSync(state) ? Number(fs.readFileSync(state, 'utf8')) : 0;
    const b = blocks[n];
    return `${file}:${b.line}: the example failed (exit ${result.code})\n--- example ---\n${b.text}\n--- output ---\n` +
           tail(result.output, 30, 4000) + '\n--- server ---\n' + tail(server.log(), 15, 2000);
  } finally {
    if (server) server.process.kill('SIGTERM');
    if (!process.env.AIH_DOCS_KEEP) { fs.rmSync(dir, { recursive: true, force: true }); tempDirs.delete(dir); }
    else console.log(`# kept ${dir}`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(args.binary)) {
    console.error(`docs test: no aihistory binary at ${args.binary} (build it, or pass --binary)`);
    process.exit(2);
  }
  const serveOptions = receiverOptions(args.binary);
  const failures = [];
  let ran = 0, skipped = 0;
  for (const file of args.files) {
    const markdown = fs.readFileSync(path.join(args.source, file), 'utf8');
    const { blocks, problems } = extractBlocks(markdown);
    problems.push(...referencesOutside(markdown, path.dirname(path.join(args.source, file)), args.source));
    for (const p of problems) failures.push(`${file}:${p.line}: ${p.message}`);
    const runnable = blocks.filter((b) => RUNNABLE.has(b.info) && !b.skip);
    skipped += blocks.filter((b) => RUNNABLE.has(b.info) && b.skip).length;
    if (runnable.length === 0) continue;
    if (Date.now() > deadline) {
      failures.push(`${file}: not run: the docs test's time budget (${TOTAL_BUDGET_MS / 1000} s) ran out`);
      continue;
    }
    const started = Date.now();
    const failure = await runFile(args, file, runnable, serveOptions);
    ran += runnable.length;
    console.log(`${failure ? 'FAIL' : 'ok  '} ${file}: ${runnable.length} examples (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (failure) failures.push(failure);
  }
  for (const f of failures) console.log(`\n${f}`);
  console.log(`\ndocs examples: ${ran} run (${skipped} marked not to run), ${failures.length} failures`);
  process.exit(failures.length ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
