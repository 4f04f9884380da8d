import 'reflect-metadata';
import { loadConfig } from './config/ledger-config';
import { serve } from './serve';

// Inside the chain, so that a bad configuration (loadConfig throws) is reported like any other start-up error.
Promise.resolve().then(() => serve(loadConfig(process.env))).catch((error: unknown) => {
  // Configuration and start-up errors name what is wrong; print the message, not a stack.
  console.error(`derbes ledger failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
