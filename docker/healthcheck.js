// The image's HEALTHCHECK: GET /health where the ledger listens. Host and port are read by the ledger's own
// configuration reader, so that the check follows DERBES_HOST, DERBES_PORT and PORT exactly as the ledger does.
// Slim images have no curl; Node 20 has fetch.
const { join } = require('node:path');
const { loadConfig } = require(join(__dirname, '..', 'dist', 'apps', 'ledger', 'src', 'config', 'ledger-config'));

const { host, port } = loadConfig(process.env);
const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/health`;

fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  (error) => {
    console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
