import { Logger } from '@nestjs/common';
import { storeDisplay } from '@derbes/event-store';
import { lockDataDir } from './config/data-dir-lock';
import type { LedgerConfig } from './config/ledger-config';
import { createApp } from './http/create-app';

/** Starts the API on the configured host and port; `npm start` and `derbes serve` both come here. */
export async function serve(config: LedgerConfig): Promise<void> {
  const release = config.eventStore === ':memory:' || !config.runProjections ? () => undefined : lockDataDir(config.dataDir);
  try {
    // Released once the store has closed. On SIGINT or SIGTERM Nest stops the app and raises the signal again, which
    // ends the process without running its 'exit' listeners: the one below covers only the other ways out.
    const app = await createApp(config, undefined, release);
    // Only the server stops the app on a signal: a command that builds one (demo, projections run) stops it itself.
    app.enableShutdownHooks();
    process.once('exit', release);
    await app.listen({ port: config.port, host: config.host });
    new Logger('ledger').log(`listening on http://${config.host}:${config.port} (store: ${storeDisplay(config.eventStore)}); OpenAPI at /docs`);
  } catch (error) {
    release();
    throw error;
  }
}
