#!/usr/bin/env node
// Starts one compose file of this directory and checks it end to end through the running containers: API keys
// made with the CLI inside a container, a record written on one replica and read back (note included, so the data
// keys are shared) on the other at the written position, a tree head signed by the signer and served by the other
// replica; for the cluster, that the replica which does not sign refuses to, and that the gateway sends signing to
// the signer. Needs docker with compose v2 (the GitHub workflow runs it; these machines have no docker engine).
//   node docker/smoke.js sqlite|esdb|cluster [--keep]     (--keep leaves the stack running; else `down -v`)
const { execFileSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { join } = require('node:path');

const which = process.argv[2];
if (!['sqlite', 'esdb', 'cluster'].includes(which)) {
  console.error('usage: node docker/smoke.js sqlite|esdb|cluster [--keep]');
  process.exit(2);
}
const file = join(__dirname, `compose.${which}.yml`);
const env = { ...process.env, DERBES_PSEUDONYM_KEY: process.env.DERBES_PSEUDONYM_KEY || randomBytes(32).toString('hex') };
const compose = (...args) => execFileSync('docker', ['compose', '-f', file, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const [writer, reader] = which === 'cluster' ? ['ledger-1', 'ledger-2'] : ['ledger', 'ledger'];
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One request made from inside a service's container, so that each replica can be asked by name. */
function call(service, method, path, token, body) {
  const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'OVERSIGHT', ...(body ? { 'content-type': 'application/json' } : {}) };
  const script = "const e = process.env; fetch('http://127.0.0.1:3000' + e.P, { method: e.M, headers: JSON.parse(e.H), body: e.B || undefined })" +
    '.then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() })))';
  const out = compose('exec', '-T', '-e', `M=${method}`, '-e', `P=${path}`, '-e', `H=${JSON.stringify(headers)}`,
    '-e', `B=${body ? JSON.stringify(body) : ''}`, service, 'node', '-e', script);
  const { status, text } = JSON.parse(out);
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    return { status, body: text };
  }
}

function expectStatus(what, answer, ...statuses) {
  if (!statuses.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  console.log(`ok  ${what} (${answer.status})`);
  return answer.body;
}

/** Asks again until the answer passes: another replica notices keys and events within a second or so. */
function eventually(what, ask, passes) {
  let answer;
  for (let i = 0; i < 50; i++) {
    answer = ask();
    if (passes(answer)) return expectStatus(what, answer, answer.status);
    sleep(200);
  }
  throw new Error(`${what}: still ${answer.status} ${JSON.stringify(answer.body)} after 10 s`);
}

const newKey = (...options) => compose('exec', '-T', writer, 'derbes', 'keys', 'create', ...options).trim().split('\n').at(-1);

try {
  compose('up', '-d', '--build', '--wait', '--wait-timeout', '600');
  console.log(`ok  ${which}: every service healthy`);
  const official = newKey('--role', 'official', '--name', 'smoke-official');
  const emitter = newKey('--role', 'emitter', '--name', 'smoke-hr-portal', '--system', 'hr-portal');

  const record = {
    recordId: randomUUID(), operation: 'collect', subject: { iin: '791028302728' }, categories: [1, 2, 28], purpose: 'P01',
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(), source: { kind: 'subject' }, note: 'smoke test file',
  };
  // A key made by the CLI reaches the server within a second (401 until then); a repeated recordId is stored once.
  const written = eventually(`record written on ${writer}`, () => call(writer, 'POST', '/v1/processing-records', emitter, record),
    (a) => a.status === 201 || a.status === 200);
  const history = `/v1/subjects/${written.subjectId}/history?lang=en&position=${written.position}`;
  const read = eventually(`record read back on ${reader} at position ${written.position}`,
    () => call(reader, 'GET', history, official), (a) => a.status === 200);
  const entry = read.items.find((item) => item.eventId === record.recordId);
  if (entry?.note !== record.note) throw new Error(`${reader} does not show the record's note: ${JSON.stringify(entry)}`);
  console.log(`ok  the note sealed on ${writer} opens on ${reader}`);

  const head = expectStatus(`tree head signed on ${writer}`, call(writer, 'POST', '/v1/integrity/tree-heads', official, {}), 200, 201);
  eventually(`that head served by ${reader}`, () => call(reader, 'GET', '/v1/integrity/tree-heads/latest', official),
    (a) => a.status === 200 && a.body.signature === head.signature);

  if (which === 'cluster') {
    const refused = expectStatus('ledger-2 refuses to sign', call('ledger-2', 'POST', '/v1/integrity/tree-heads', official, {}), 403);
    if (!String(refused.message).includes('DERBES_TREE_HEAD_SIGNER')) throw new Error(`ledger-2's refusal does not name the setting: ${refused.message}`);
  }
  // Through the published port: the ledger itself, or for the cluster the gateway, which sends signing to ledger-1.
  const viaPort = execFileSync('curl', ['--silent', '--output', '/dev/null', '--write-out', '%{http_code}', '-X', 'POST',
    '-H', `authorization: Bearer ${official}`, '-H', 'content-type: application/json', '-d', '{}', 'http://127.0.0.1:3000/v1/integrity/tree-heads'], { encoding: 'utf8' });
  if (!['200', '201'].includes(viaPort)) throw new Error(`POST /v1/integrity/tree-heads on port 3000 answered ${viaPort}`);
  console.log(`ok  signing through port 3000 (${viaPort})`);
} catch (error) {
  console.error(`FAILED ${which}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
  try {
    console.error(compose('ps', '--all'));
    console.error(compose('logs', '--no-color', '--tail', '200'));
  } catch {
    // the stack may not have started at all: the error above says why
  }
} finally {
  if (!process.argv.includes('--keep')) {
    try {
      compose('down', '-v');
    } catch (error) {
      console.error(`could not take the stack down: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
