import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SIGNING_KEYS_DIR, checkSigningKeys } from '@derbes/integrity';
import { codeContainsIin } from '@derbes/ledger';
import { AppModule, loadStartupData } from '../app.module';
import { Clock } from '../clock';
import type { LedgerConfig } from '../config/ledger-config';
import { refuseUnfinishedRestore } from '../config/unfinished-restore';
import { ErrorFilter } from './error.filter';
import { answerWhileStopping } from './stopping';
import { refuseBodiesWithoutKey } from './body-needs-key';
import { refuseHeadRequests } from './head-requests';
import { ApiKeys } from '../auth/api-keys';
import { clientError, frameworkError } from './framework-errors';
import { useJsonBodyParser } from './json-body';
import { createOpenApiDocument } from './openapi-document';
import { createValidationPipe } from './validation';
import { useConsoleFormParser } from '../console/http/form-body';

const LEVELS: Record<LedgerConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Nest's console logger, but for what Nest's ExceptionHandler logs when building the app fails (a provider that
 * cannot open its file): a stack trace, before the error reaches createApp's caller, which reports it in one line.
 */
class StartupErrorsLeftToCaller extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/** A client may name its correlation id (stored with each event: never one holding an IIN); anything else gets a fresh one. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Builds the HTTP application: Fastify (Express tops out near 3.7k validated POSTs/s on these machines, under the
 * ingest target), the one error shape for every failure including Fastify's own, and OpenAPI at /docs.
 */
export async function createApp(config: LedgerConfig, clock: Clock = new Clock(), afterStop?: () => void): Promise<NestFastifyApplication> {
  // Before anything is read or made there (a pseudonym key, a log): a half-restored directory is refused.
  refuseUnfinishedRestore(config.dataDir);
  // A tree-head signing key another user could read, or a damaged one, stops the start naming the file: found on first
  // use, it failed the public keys and every access report while /health said ok.
  if (config.treeHeadSigner) checkSigningKeys(join(config.dataDir, SIGNING_KEYS_DIR));
  const startup = loadStartupData(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Only the configured gateways' X-Forwarded-* are believed (request.protocol, request.ip).
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
    logger: false,
    // A JSON key "__proto__" or "constructor.prototype" is refused as a whole request, not stripped.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) && !codeContainsIin(given) ? given : randomUUID();
    },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // A request must arrive whole within this time (408 otherwise): a client trickling a body, or holding one back,
    // would keep its connection and the memory of its body for ever (Fastify's default is no limit).
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Given to Node's server as it is made too, so that its headers timeout is no longer (Node checks neither when
    // that one is longer, set after); Node looks for requests past their time this often (30 s for the default 60 s).
    http: { requestTimeout: config.requestTimeoutSeconds * 1000, connectionsCheckingInterval: Math.min(30_000, config.requestTimeoutSeconds * 500) },
    // Requests that arrive while the server stops get the one error shape (onRequest below), not Fastify's own.
    return503OnClosing: false,
  });
  const logger = new StartupErrorsLeftToCaller();
  logger.setLogLevels(LEVELS[config.logLevel]);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, clock, startup, afterStop), adapter, {
    logger,
    bufferLogs: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The API speaks JSON only: anything else is a 415, not a string that fails validation.
  fastify.removeContentTypeParser('text/plain');
  useJsonBodyParser(app, config.bodyLimitBytes);
  useConsoleFormParser(app);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-correlation-id', String(request.id));
    // What the API answers is personal data or about it: never kept by a cache on the way (the console sets its own).
    if (request.url.startsWith('/v1/')) void reply.header('cache-control', 'no-store');
  });
  answerWhileStopping(fastify);
  refuseBodiesWithoutKey(fastify, app.get(ApiKeys));
  refuseHeadRequests(fastify);
  // Fastify's own errors (bad JSON, body too large, wrong content type) reach ErrorFilter through Nest's handler.
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(createValidationPipe());

  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  try {
    await app.init();
  } catch (error) {
    // A start refused half-way (a check on the log, a key) closes what it opened: the store, its threads, the lock.
    await app.close().catch(() => undefined);
    throw error;
  }
  await fastify.ready();
  return app;
}
