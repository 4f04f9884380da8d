#!/usr/bin/env node
import 'reflect-metadata';
import { constants } from 'node:os';
import { loadConfig } from '../../ledger/src/config/ledger-config';
import { serve } from '../../ledger/src/serve';
import { backupDataDir, backupSummary, restoreDataDir, restoreSummary } from './backup.command';
import { DemoInterrupted, runDemo } from './demo/demo.command';
import { ProjectionsUsageError, projectionsRebuild, projectionsRun, projectionsStatus } from './projections.command';
import { ReportUsageError, checkReportOptions, defaultCliActor, subjectReport } from './report.command';
import { VerifyReportUsageError, verifyReportFile } from './verify-report.command';
import { KeysUsageError, createKey, listKeys, revokeKey, setConsolePassword } from './keys.command';
import { VerifyUsageError, runVerify } from './verify.command';
import { MigrateUsageError, migrateLedger } from './migrate.command';
import { maskIinsIn } from '@derbes/ledger';
import { listSigningKeys, rotateSigningKey } from './signing-keys.command';

const USAGE = `usage: derbes <command>
  help, --help, -h               this text
  serve                          start the ledger API (as npm start)
  demo [--employees N] [--seed S] record a deterministic demo year (default 300 employees, seed 1)
  projections status             where each read model stands
  projections rebuild [name]     rebuild read models from the log (the server must be stopped)
  projections run                keep the read models in this process (for a server with DERBES_PROJECTIONS=off)
  keys create --role emitter|official|auditor|admin --name NAME [--unit UNIT] [--system SYSTEM] [--grant subject-data]
                                 create an API key (an emitter needs --system); its token is printed once
  keys list                      every key, revoked ones included (never a secret)
  keys revoke KEYID [--reason TEXT]
                                 revoke a key at once (the server notices within a second)
  keys password NAME|KEYID       set the console password of an official's or auditor's key (read from stdin,
                                 one line; at least 12 characters)
  report subject --iin IIN|- --out FILE [--lang kk|ru|en] [--format json|html|pdf]
                 [--actor ID] [--role ROLE] [--unit UNIT] [--purpose P]
                                 write a subject's access report (default kk, pdf); the read is recorded
                                 as by ACTOR (default cli:<user>, role operator, unit cli) for PURPOSE
                                 (default OVERSIGHT). --iin - reads the IIN from stdin (keeps it out of
                                 the shell history and the process list)
  verify-report FILE --public-keys KEYS [--registers FILE] [--require-complete] [--accept-unsigned]
                                 check a JSON access report offline: the tree head's signature with KEYS (the
                                 JSON of GET /v1/integrity/keys, or a PEM public key; never the report's own),
                                 each event's chain hash, the chain's links, every row against its event, the
                                 last event's inclusion proof, that the chain ends with the report's own read,
                                 and each category's state made again from the events; from schema version 6
                                 the ledger's signature of the whole report; exit 1 naming the first failure.
                                 --require-complete: exit 1 too for a report that cannot show that no newer
                                 event was left out (version 2) or that is not signed as a whole (before 6).
                                 --accept-unsigned: check a version 6 report with signature null (a replica's, or
                                 one stripped) by its hashes alone, with a caveat; without it, it fails
  signing-keys list              the tree-head signing keys' versions and key ids (public parts only)
  signing-keys rotate            add the next version of the signing key, which signs heads and reports from now
                                 on (a running server takes it at its next signature); older versions stay
  backup DIR                     copy the ledger into the new directory DIR while it runs: event store, read
                                 models, pseudonym key file, tree-head signing keys (integrity-keys/),
                                 manifest.json with their SHA-256. Never the data keys (data-keys/): a restore
                                 must not bring back a key destroyed since
  verify [--public-keys FILE] [--head FILE]
                                 recompute the Merkle tree and every subject's chain from the log and check
                                 every signed tree head; exit 1 naming the first position that disagrees.
                                 Keys from <data dir>/integrity-keys or FILE (GET /v1/integrity/keys); --head
                                 a signed tree head kept elsewhere (a log shorter than it fails)
  migrate --to LOCATION [--from FILE] [--batch N]
                                 copy every event of the embedded store (or FILE) to LOCATION (esdb://host:2113?tls=false,
                                 esdb+discover://a:2113,b:2113,c:2113, or a SQLite file in an existing directory) in log
                                 order, N per batch (default 1000), with the ledger stopped; run it again to resume. Then
                                 checks the count, the Merkle root and every signed tree head on the target; exit 1 if one
                                 fails
  restore DIR [--force]          put the backup in DIR in place of the data directory's ledger (the ledger must
                                 be stopped; --force to replace one); data-keys/ is left as it is
Configuration comes from the environment, as for the server (see README).`;

class UsageError extends Error {}

function text(args: string[], name: string, fallback?: string): string {
  const i = args.indexOf(name);
  if (i < 0) {
    if (fallback === undefined) throw new UsageError(`${name} is required`);
    return fallback;
  }
  const raw = args[i + 1];
  if (raw === undefined || (raw.startsWith('--') && raw !== '-')) throw new UsageError(`${name} takes a value`);
  args.splice(i, 2);
  return raw;
}

/**
 * The one operand a command takes (a directory, a key id): an option is refused rather than taken for it (`backup
 * --force` made a backup named --force), and a missing one is named.
 */
function operand(args: readonly string[], command: string, what: string): string {
  const option = args.find((a) => a.startsWith('-'));
  if (option !== undefined) throw new UsageError(`${command}: unknown option ${option}`);
  if (args.length === 0) throw new UsageError(`${command} needs ${what}`);
  if (args.length > 1) throw new UsageError(`${command} takes only ${what}, got: ${args.join(' ')}`);
  return args[0] as string;
}

async function readStdin(): Promise<string> {
  return (await readStdinRaw()).trim();
}

async function readStdinRaw(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function option(args: string[], name: string, fallback: number, min: number, max: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const raw = args[i + 1];
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`${name} takes a whole number from ${min} to ${max}`);
  }
  args.splice(i, 2);
  return Number(raw);
}

async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  // Before the configuration is read: help is asked for where it may be wrong.
  if (command === 'help' || command === '--help' || command === '-h' || args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(process.env);
  if (command === 'serve' && args.length === 0) return serve(config);
  if (command === 'demo') {
    const employees = option(args, '--employees', 300, 1, 100_000);
    const seed = option(args, '--seed', 1, 0, 2 ** 31);
    if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}`);
    const summary = await runDemo({ ...config, logLevel: 'error' }, { employees, seed });
    const flagged = Object.entries(summary.violations).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
    console.log(`demo: ${summary.employees} employees, ${summary.records} records (${summary.created} new, ${summary.duplicates} already there); flagged: ${flagged}`);
    return;
  }
  if (command === 'projections' && args[0] === 'status' && args.length === 1) {
    for (const line of await projectionsStatus({ ...config, logLevel: 'error' })) console.log(line);
    return;
  }
  if (command === 'projections' && args[0] === 'run' && args.length === 1) {
    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    console.log('keeping the read models; stop with Ctrl-C');
    return projectionsRun({ ...config, logLevel: 'error' }, stop);
  }
  if (command === 'projections' && args[0] === 'rebuild') {
    const name = args.length > 1 ? operand(args.slice(1), 'projections rebuild', 'a read model\'s name') : undefined;
    for (const line of await projectionsRebuild({ ...config, logLevel: 'error' }, name)) console.log(line);
    return;
  }
  if (command === 'keys' && args[0] === 'create') {
    args.shift();
    const role = text(args, '--role');
    const name = text(args, '--name');
    const unit = args.includes('--unit') ? text(args, '--unit') : undefined;
    const system = args.includes('--system') ? text(args, '--system') : undefined;
    const grants = args.includes('--grant') ? [text(args, '--grant')] : [];
    if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}`);
    const lines = await createKey(config, { role, name, unit, system, grants });
    for (const l of lines.slice(0, -1)) console.log(l);
    // The token (the last line) is a secret made here, not what was typed: a digit run in it that happened to read
    // as an IIN would be masked into a token that does not work.
    printUnmasked(`${lines.at(-1)}\n`);
    return;
  }
  if (command === 'keys' && args[0] === 'list' && args.length === 1) {
    for (const l of await listKeys(config)) console.log(l);
    return;
  }
  if (command === 'keys' && args[0] === 'password') {
    const key = operand(args.slice(1), 'keys password', 'a key\'s name or id');
    // One line as typed: only its line break is dropped, spaces are part of a password.
    const password = (await readStdinRaw()).replace(/\r?\n$/, '');
    for (const l of await setConsolePassword(config, key, password)) console.log(l);
    return;
  }
  if (command === 'keys' && args[0] === 'revoke') {
    args.shift();
    const reason = text(args, '--reason', 'revoked by the operator');
    const keyId = operand(args, 'keys revoke', 'a key id');
    for (const l of await revokeKey(config, keyId, reason)) console.log(l);
    return;
  }
  if (command === 'signing-keys' && (args[0] === 'rotate' || args[0] === 'list') && args.length === 1) {
    for (const line of args[0] === 'rotate' ? rotateSigningKey(config) : listSigningKeys(config)) console.log(line);
    return;
  }
  if (command === 'backup') {
    const dir = operand(args, 'backup', 'the directory to write the backup into (a new or empty one)');
    for (const line of backupSummary(await backupDataDir(config, dir), dir)) console.log(line);
    return;
  }
  if (command === 'restore') {
    const dir = operand(args.filter((a) => a !== '--force'), 'restore', 'the backup\'s directory');
    for (const line of restoreSummary(await restoreDataDir(config, dir, { force: args.includes('--force') }), config)) console.log(line);
    return;
  }
  if (command === 'verify') {
    const publicKeysFile = args.includes('--public-keys') ? text(args, '--public-keys') : undefined;
    const headFile = args.includes('--head') ? text(args, '--head') : undefined;
    if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}`);
    if (!(await runVerify(config, { publicKeysFile, headFile }, console.log, console.error))) process.exitCode = 1;
    return;
  }
  if (command === 'migrate') {
    const to = text(args, '--to');
    const from = args.includes('--from') ? text(args, '--from') : undefined;
    const batchSize = option(args, '--batch', 1000, 1, 100_000);
    if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}`);
    try {
      const { ok, lines } = await migrateLedger({ ...config, logLevel: 'error' }, { to, from, batchSize });
      for (const line of lines) console.log(line);
      if (!ok) process.exitCode = 1;
    } catch (error) {
      throw error instanceof MigrateUsageError ? new UsageError(error.message) : error;
    }
    return;
  }
  if (command === 'report' && args[0] === 'subject') {
    args.shift();
    const iinArg = text(args, '--iin');
    const out = text(args, '--out');
    const { language, format } = checkReportOptions(text(args, '--lang', 'kk'), text(args, '--format', 'pdf'));
    const fallback = defaultCliActor();
    const actor = { id: text(args, '--actor', fallback.id), role: text(args, '--role', fallback.role), unit: text(args, '--unit', fallback.unit) };
    const purpose = text(args, '--purpose', 'OVERSIGHT');
    if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}`);
    const iin = iinArg === '-' ? await readStdin() : iinArg;
    console.log(await subjectReport({ ...config, logLevel: 'error' }, { iin, language, format, out, actor, purpose }));
    return;
  }
  if (command === 'verify-report') {
    const publicKeys = args.includes('--public-keys') ? text(args, '--public-keys') : undefined;
    // The registers file the ledger used, to make the categories section again: given, or the ledger's own setting.
    const registersFile = args.includes('--registers') ? text(args, '--registers') : (process.env.DERBES_REGISTERS_FILE || undefined);
    const requireComplete = args.includes('--require-complete');
    if (requireComplete) args.splice(args.indexOf('--require-complete'), 1);
    const acceptUnsigned = args.includes('--accept-unsigned');
    if (acceptUnsigned) args.splice(args.indexOf('--accept-unsigned'), 1);
    if (args.length !== 1 || args[0]!.startsWith('--')) throw new UsageError('verify-report takes one JSON report file, --public-keys FILE, --registers FILE, --require-complete and --accept-unsigned');
    try {
      const { ok, lines } = verifyReportFile(args[0]!, publicKeys, { requireComplete, acceptUnsigned, ...(registersFile ? { registersFile } : {}) });
      for (const line of lines) console.log(line);
      if (!ok) process.exitCode = 1;
    } catch (error) {
      throw error instanceof VerifyReportUsageError ? new UsageError(error.message) : error;
    }
    return;
  }
  throw new UsageError(command ? `unknown command: ${argv.join(' ')}` : 'no command given');
}

// Everything the commands print, on stdout and stderr, is masked (libs/ledger masked-output.ts); `serve`'s output
// too, the server's log, as under `npm start`.
const printUnmasked = maskIinsIn(process.stdout);
maskIinsIn(process.stderr);

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ReportUsageError || error instanceof KeysUsageError || error instanceof VerifyUsageError
    || error instanceof ProjectionsUsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`derbes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof DemoInterrupted ? 128 + constants.signals[error.signal] : 1);
});
