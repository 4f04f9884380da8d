import 'reflect-metadata';
import { maskIinsIn } from '@derbes/ledger';
import { loadConfig } from './config/ledger-config';
import { serve } from './serve';

// The log is no place for an IIN: the error filters mask what requests bring, and this masks everything else the
// process prints (its own threads' output included, which reaches these streams), such as a data directory, a key
// file's path or a file system's error naming one, which an operator may have named after a person.
maskIinsIn(process.stdout);
maskIinsIn(process.stderr);

// Inside the chain, so that a bad configuration (loadConfig throws) is reported like any other start-up error.
Promise.resolve().then(() => serve(loadConfig(process.env))).catch((error: unknown) => {
  // Configuration and start-up errors name what is wrong; print the message, not a stack.
  console.error(`derbes ledger failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
