import { aRecord, startTestApp, type TestApp } from './support/test-app';

describe('register, health and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /v1/register lists the versions with their effective periods', async () => {
    const res = await t.http.get('/v1/register').expect(200);
    expect(res.body.owner).toBe('mineco');
    expect(res.body.registers).toEqual([
      expect.objectContaining({
        id: 'mineco-328-O', version: 1, owner: 'mineco', order: { number: '328-Ө', date: '2025-12-04' },
        publication: expect.objectContaining({ date: null, known: false }),
        effective: { from: '2025-12-14', fromBasis: 'provisional', to: null },
        categories: 30, purposes: 12, inForceNow: true,
      }),
    ]);
  });

  it('GET /v1/register/current gives the register in force in full, or 404 before it', async () => {
    const res = await t.http.get('/v1/register/current').expect(200);
    expect(res.body.categories).toHaveLength(30);
    expect(res.body.categories[27]).toMatchObject({ number: 28, slug: 'medical-results', sensitive: true });
    expect(res.body.responsibleOfficial.name.kk).toContain('Қазақбайұлы');
    const before = await t.http.get('/v1/register/current').query({ at: '2025-12-13T18:59:59Z' }).expect(404);
    expect(before.body.code).toBe('no_register_in_force');
    await t.http.get('/v1/register/current').query({ at: '2025-12-13T19:00:00Z' }).expect(200);
    // The register has no end: still in force on 1 Jan 10000 in Kazakhstan (was a 404: +010000-01-01 sorted first).
    await t.http.get('/v1/register/current').query({ at: '9999-12-31T19:00:00Z' }).expect(200);
    const bad = await t.http.get('/v1/register/current').query({ at: 'soon' }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'at' })]);
    // A misspelt or repeated parameter is refused, never answered with the register in force now.
    const misspelt = await t.http.get('/v1/register/current').query({ date: '2025-12-13T18:59:59Z' }).expect(400);
    expect(misspelt.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    expect((await t.http.get('/v1/register/current?at=2025-12-13T18:59:59Z&at=2026-01-01T00:00:00Z').expect(400)).body.errors)
      .toEqual([expect.objectContaining({ field: 'at' })]);
  });

  it('refuses a query string on an API route that takes none, naming each parameter, and writes nothing', async () => {
    const list = await t.http.get('/v1/register').query({ at: '2025-12-13T18:59:59Z' }).expect(400);
    expect(list.body).toMatchObject({ code: 'invalid_request', errors: [{ field: 'at', reason: 'is not a parameter of this route' }] });
    const latest = await t.http.get('/v1/integrity/tree-heads/latest?size=5&x=1').expect(400);
    expect(latest.body.errors.map((e: { field: string }) => e.field)).toEqual(['size', 'x']);
    const before = await t.store.lastPosition();
    const record = await t.http.post('/v1/processing-records?dryRun=true').send(aRecord()).expect(400);
    expect(record.body.errors).toEqual([expect.objectContaining({ field: 'dryRun' })]);
    expect(await t.store.lastPosition()).toBe(before);
    // Routes with parameters of their own, and /health, are as before.
    await t.http.get('/v1/register').expect(200);
    await t.http.get('/v1/integrity/inclusion').query({ eventId: 'x', treeSize: '1', more: '1' }).expect(400);
    await t.http.get('/health?probe=1').expect(200);
  });

  it('GET /health reports the store position', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', problems: [], store: { kind: 'sqlite-memory', lastPosition: t.base }, register: { id: 'mineco-328-O', version: 1 } });
    // The free space where it writes, named by what is kept there, never by a path (the page is open to anyone).
    expect(res.body.disks).toEqual([{ holds: 'data directory', freeBytes: expect.any(Number) }]);
    expect(JSON.stringify(res.body)).not.toContain(t.config.dataDir);
  });

  it('GET /health and GET /metrics show each projection and its lag behind the log', async () => {
    const written = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    await t.http.get('/v1/reports/violations').query({ position: String(written.body.position) }).expect(200);
    const health = await t.http.get('/health').expect(200);
    expect(health.body.projections.map((p: { name: string }) => p.name).sort()).toEqual(
      ['actor-activity', 'integrity-log', 'processing-summary', 'request-queue', 'source-systems', 'subject-history', 'subject-inventory', 'transfers', 'violations']);
    const violations = health.body.projections.find((p: { name: string }) => p.name === 'violations');
    expect(violations).toMatchObject({ active: { position: written.body.position }, logPosition: written.body.position, lag: 0, error: null });
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain(`derbes_log_position ${written.body.position}\n`);
    expect(metrics.text).toContain(`derbes_projection_position{projection="violations"} ${written.body.position}\n`);
    expect(metrics.text).toContain('derbes_projection_lag{projection="violations"} 0\n');
    expect(metrics.text).toMatch(/# TYPE derbes_projection_lag gauge/);
  });

  it('serves the OpenAPI document and page at /docs', async () => {
    const json = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining([
      '/v1/processing-records', '/v1/processing-records/batch', '/v1/subjects/lookup', '/v1/subjects/{subjectId}/events',
      '/v1/register', '/v1/register/current', '/health',
    ]));
    expect(json.body.components.schemas.ProcessingRecordDto.required).toEqual(expect.arrayContaining(['recordId', 'operation', 'subject', 'categories', 'purpose']));
    // The rule for codes a client writes: none may look like another (look-alike-codes.ts).
    for (const [schema, field] of [['ActorDto', 'id'], ['ActorDto', 'role'], ['ActorDto', 'unit'], ['NewApiKeyDto', 'name'], ['NewApiKeyDto', 'unit']] as const) {
      const { description } = json.body.components.schemas[schema].properties[field];
      expect([schema, field, description]).toEqual([schema, field, expect.stringContaining('each word (a run of letters) in one script')]);
    }
    // Every operation says how it fails, in the one error shape; the routes that take no key say so.
    const operations = Object.entries(json.body.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(25);
    for (const { op } of operations) expect(op.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(json.body.components.schemas.Error.required).toEqual(['statusCode', 'error', 'code', 'message', 'errors', 'correlationId']);
    expect(operations.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map(({ method, path }) => `${method} ${path}`).sort())
      .toEqual(['get /health', 'get /v1/access-report/{token}', 'get /v1/integrity/keys']);
    expect(JSON.stringify(json.body)).not.toContain('x-derbes-open');
    expect(json.body.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
    const link = json.body.paths['/v1/access-report/{token}'].get.parameters.find((p: { name: string }) => p.name === 'format');
    const official = json.body.paths['/v1/subjects/{subjectId}/access-report'].get.parameters.find((p: { name: string }) => p.name === 'format');
    expect([link.schema.default, official.schema.default]).toEqual(['html', 'json']);
    // Both routes that give the report as PDF can refuse one too large to lay out here.
    for (const path of ['/v1/access-report/{token}', '/v1/subjects/{subjectId}/access-report']) {
      expect([path, json.body.paths[path].get.responses['406']?.description]).toEqual([path, expect.stringContaining('(report_too_large)')]);
    }
    // The subject's link says what it answers as fully as the official's route: what a forged or expired link gets, and the formats.
    const linked = json.body.paths['/v1/access-report/{token}'].get;
    expect(Object.keys(linked.responses).sort()).toEqual(expect.arrayContaining(['200', '400', '401', '404', '406']));
    for (const path of ['/v1/access-report/{token}', '/v1/subjects/{subjectId}/access-report']) {
      expect([path, Object.keys(json.body.paths[path].get.responses['200'].content ?? {}).sort()]).toEqual([path, ['application/json', 'application/pdf', 'text/html']]);
    }
    const page = await t.http.get('/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger');
  });
});

describe('GET /health when a read model stopped', () => {
  it('says degraded and names the projection and why, while the ledger still answers', async () => {
    const t = await startTestApp();
    try {
      // An event of a schema version this build cannot read: the read models that follow subjects stop before it.
      await t.store.appendToStream(`subject-${'a'.repeat(64)}`, [{
        id: '00000000-0000-4000-8000-00000000abcd', type: 'ProcessingRecorded', data: { subjectId: 'a'.repeat(64) }, metadata: { schemaVersion: 99 },
      }], 'any');
      let health = (await t.http.get('/health').expect(200)).body;
      for (let i = 0; i < 100 && health.status === 'ok'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        health = (await t.http.get('/health').expect(200)).body;
      }
      expect(health.status).toBe('degraded');
      expect(health.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^projection subject-history: stopped before position \d+: /)]));
      expect(health.problems).toHaveLength(health.projections.filter((p: { error: string | null }) => p.error !== null).length);
      await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    } finally {
      await t.close();
    }
  });
});
