import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/ledger-config';
import { createApp } from './http/create-app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('ledger');
  logger.log(`listening on http://${config.host}:${config.port} (store: ${config.eventStore}); OpenAPI at /docs`);
}

main().catch((error: unknown) => {
  // Configuration and start-up errors name what is wrong; print the message, not a stack.
  console.error(`derbes ledger failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
