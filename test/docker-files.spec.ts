import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, type LedgerConfig } from '../apps/ledger/src/config/ledger-config';
import { readModelPath } from '../apps/ledger/src/projections.provider';
import { EVENTSTORE_IMAGE } from './support/eventstore-target';

/**
 * Keeps docker/ and the GitHub workflow honest where no docker engine runs them: every setting they give the ledger
 * is one its configuration reads and accepts, paths match what the build makes, ports, volumes and health checks
 * agree across files, and exactly one replica signs tree heads. (The workflow's docker job runs them for real.)
 */
const ROOT = join(__dirname, '..');
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const json = (path: string) => JSON.parse(text(path));
type Yaml = Record<string, any>; // parsed documents: their shape is what the tests check
const yaml = (path: string): Yaml => parse(text(path), { merge: true });

const LEDGER_IMAGE = 'derbes-ledger:local';
/** The EventStoreDB 24.10 settings these files may use, as its documentation names them (docker/README.md). */
const EVENTSTORE_SETTINGS = ['CLUSTER_SIZE', 'INSECURE', 'RUN_PROJECTIONS', 'DISCOVER_VIA_DNS', 'GOSSIP_SEED', 'REPLICATION_IP'].map((s) => `EVENTSTORE_${s}`);
/** What a shell would hold for the variables the compose files require (`${NAME:?...}`). */
const SHELL: Record<string, string> = { DERBES_PSEUDONYM_KEY: 'ab'.repeat(32) };
const ESDB = /^esdb(\+discover)?:\/\/([^?]+)\?(.*)$/;

interface Instruction { readonly stage: string; readonly op: string; readonly args: string }

/** The Dockerfile's instructions with their stage, continuation lines joined and comments dropped. */
function dockerfile(): Instruction[] {
  const logical = text('docker/Dockerfile').split('\n').filter((l) => !l.trim().startsWith('#'))
    .join('\n').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter(Boolean);
  let stage = '';
  return logical.map((line) => {
    const [, op = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op === 'FROM') stage = / AS (\S+)$/i.exec(args)?.[1] ?? '';
    return { stage, op, args };
  });
}
const instructions = dockerfile();
const of = (stage: string, op: string) => instructions.filter((i) => i.stage === stage && i.op === op).map((i) => i.args);
const imageEnv: Record<string, string> = Object.fromEntries(of('runtime', 'ENV').flatMap((a) => a.split(/\s+/)).map((kv) => kv.split('=') as [string, string]));
/** `dist/x/y.js` -> `x/y.ts`: the source the build compiles into it (outDir dist, rootDir the repository). */
const sourceOf = (built: string) => built.replace(/^(\/app\/)?dist\//, '').replace(/\.js$/, '.ts');

function interpolate(value: unknown): string {
  return String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (kind === '?' && !SHELL[name]) throw new Error(`no shell value for the required ${name}`);
    return SHELL[name] ?? (kind === '-' ? rest ?? '' : '');
  });
}

/** The ledger's configuration of a service, and every variable the configuration read to make it. */
function configOf(environment: Record<string, unknown>): { config: LedgerConfig; read: Set<string>; env: Record<string, string> } {
  const env: Record<string, string> = { ...imageEnv };
  for (const [key, value] of Object.entries(environment)) env[key] = interpolate(value);
  const read = new Set<string>();
  const recorded = new Proxy(env, { get: (target, key) => (typeof key === 'string' && read.add(key), target[key as string]) });
  return { config: loadConfig(recorded, '/app'), read, env };
}

const volumeOf = (mount: string) => ({ source: mount.split(':')[0] as string, target: mount.split(':')[1] as string });
const composeFiles = readdirSync(join(ROOT, 'docker')).filter((f) => /^compose\..+\.yml$/.test(f)).sort();

describe('docker/Dockerfile', () => {
  const pkg = json('package.json');

  it('starts the ledger as `npm start` does, and the CLI as package.json\'s bin, from files the build makes', () => {
    const [node, main] = JSON.parse(of('runtime', 'CMD')[0] as string) as string[];
    expect(node).toBe('node');
    expect(pkg.scripts.start).toContain(`node ${main}`);
    expect(of('runtime', 'WORKDIR')).toEqual(['/app']);
    expect(existsSync(join(ROOT, sourceOf(main as string)))).toBe(true);
    expect(of('runtime', 'RUN').join(' ')).toContain(`exec node /app/${pkg.bin.derbes} "$@"`);
    expect(existsSync(join(ROOT, sourceOf(pkg.bin.derbes)))).toBe(true);
    const tsconfig = json('tsconfig.json').compilerOptions;
    expect([tsconfig.outDir, tsconfig.rootDir]).toEqual(['dist', '.']);
  });

  it('builds from every root the build compiles, with npm ci, npm run build and a production prune', () => {
    const copied = of('build', 'COPY').flatMap((a) => a.split(/\s+/).slice(0, -1));
    const roots = (json('tsconfig.build.json').include as string[]).map((p) => p.split('/')[0]);
    for (const root of new Set(roots)) expect(copied).toContain(root);
    for (const file of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json']) expect(copied).toContain(file);
    const ignored = text('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const source of copied) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(ignored.filter((pattern) => pattern === source || (pattern.startsWith('**/*') && source.endsWith(pattern.slice(4))))).toEqual([]);
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data']));
    const run = of('build', 'RUN').join(' && ');
    expect(run).toMatch(/npm ci\b/);
    expect(run).toContain('npm run build');
    expect(pkg.scripts.build).toBeDefined();
    expect(run).toContain('npm prune --omit=dev');
    // allowScripts is read from npm 11.16 on.
    const [major, minor] = (/npm@(\d+)\.(\d+)\.\d+/.exec(run) ?? []).slice(1).map(Number);
    expect(major! > 11 || (major === 11 && minor! >= 16)).toBe(true);
  });

  it('keeps the data where the configuration looks, listens where it is exposed, checks health there, and is not root', () => {
    const { config } = configOf({});
    expect(JSON.parse(of('runtime', 'VOLUME')[0] as string)).toEqual([config.dataDir]);
    expect(of('runtime', 'EXPOSE')).toEqual([String(config.port)]);
    expect(config.host).toBe('0.0.0.0');
    expect(of('runtime', 'USER')).toEqual(['node']);
    const check = JSON.parse((of('runtime', 'HEALTHCHECK')[0] as string).replace(/^.*?CMD\s+/, '')) as string[];
    expect(check).toEqual(['node', '/app/docker/healthcheck.js']);
    expect(of('runtime', 'COPY')).toContain('docker/healthcheck.js ./docker/healthcheck.js');
    const required = /join\(__dirname, '\.\.', ((?:'[^']+', )*'[^']+')\)/.exec(text('docker/healthcheck.js'))?.[1];
    expect(existsSync(join(ROOT, sourceOf(`${required?.replace(/'/g, '').split(', ').join('/')}.js`)))).toBe(true);
  });
});

describe.each(composeFiles)('docker/%s', (file) => {
  const compose = yaml(`docker/${file}`);
  const services = compose.services as Record<string, Yaml>;
  const ledgers = Object.entries(services).filter(([, s]) => s.image === LEDGER_IMAGE);
  const configs = new Map(ledgers.map(([name, s]) => [name, configOf(s.environment ?? {})]));
  const eventstores = Object.entries(services).filter(([, s]) => String(s.image).startsWith('eventstore/eventstore:'));

  it('gives each ledger only settings its configuration reads and accepts, and exactly one of them signs tree heads', () => {
    expect(ledgers.length).toBeGreaterThan(0);
    for (const [name, service] of ledgers) {
      expect({ name, build: service.build }).toEqual({ name, build: { context: '..', dockerfile: 'docker/Dockerfile' } });
      const unread = Object.keys(service.environment ?? {}).filter((key) => !configs.get(name)!.read.has(key));
      expect({ name, unread }).toEqual({ name, unread: [] });
    }
    expect(ledgers.filter(([name]) => configs.get(name)!.config.treeHeadSigner).map(([name]) => name)).toHaveLength(1);
    if (ledgers.length > 1) {
      // Replicas must name a subject alike: the key comes from one required variable, never from a replica's own file.
      for (const [, service] of ledgers) expect(service.environment.DERBES_PSEUDONYM_KEY).toMatch(/^\$\{DERBES_PSEUDONYM_KEY:\?.+\}$/);
    }
  });

  it('publishes the port each ledger listens on and keeps each one\'s data in a volume of its own', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = Object.values(services).flatMap((s) => ((s.volumes ?? []) as string[]).map((v) => volumeOf(v).source)).filter((v) => !v.startsWith('.'));
    expect(new Set(used)).toEqual(new Set(declared));
    const dataVolumes = ledgers.map(([name, service]) => {
      const { config } = configs.get(name)!;
      for (const port of service.ports ?? []) expect(String(port).split(':').at(-1)).toBe(String(config.port));
      const mounts = (service.volumes as string[]).map(volumeOf);
      for (const mount of mounts) expect(mount.target.startsWith(config.dataDir)).toBe(true);
      // A volume starts out owned as its mount point is in the image: the ledger's user must own every one it writes.
      for (const mount of mounts) expect(of('runtime', 'RUN').join(' ')).toMatch(new RegExp(`install -d -o node -g node .*${mount.target}( |$)`));
      // Several replicas share the subjects' data keys: a text sealed on one must open on the other.
      if (ledgers.length > 1) expect(mounts.filter((m) => m.target === join(config.dataDir, 'data-keys')).map((m) => m.source)).toEqual(['data-keys']);
      // The read models are a replica's own cache: in its data volume, whatever the store.
      expect({ name, readModels: readModelPath(config).startsWith(`${config.dataDir}/`) }).toEqual({ name, readModels: true });
      return mounts.find((m) => m.target === config.dataDir)?.source;
    });
    expect(new Set(dataVolumes).size).toBe(ledgers.length);
    expect(dataVolumes).not.toContain(undefined);
  });

  it('waits for health checks that exist, and points each ledger at EventStoreDB nodes of the file', () => {
    for (const service of Object.values(services)) {
      for (const [target, condition] of Object.entries((service.depends_on ?? {}) as Record<string, { condition: string }>)) {
        expect(services[target]).toBeDefined();
        if (condition.condition === 'service_healthy') {
          expect(services[target]!.healthcheck?.test ?? (services[target]!.image === LEDGER_IMAGE && of('runtime', 'HEALTHCHECK')[0])).toBeTruthy();
        }
      }
    }
    for (const [name] of ledgers) {
      const store = configs.get(name)!.env.DERBES_EVENT_STORE;
      if (store === undefined) continue;
      const [, discover, hosts = '', query] = ESDB.exec(store) ?? [];
      expect(hosts.split(',').sort()).toEqual(eventstores.map(([node]) => `${node}:2113`).sort());
      expect(Boolean(discover)).toBe(eventstores.length > 1);
      for (const [, node] of eventstores) expect(query === 'tls=false').toBe(node.environment.EVENTSTORE_INSECURE === 'true');
    }
  });

  it('configures EventStoreDB with documented settings; a cluster\'s nodes gossip with each other at their own addresses', () => {
    for (const [, node] of eventstores) {
      expect(Object.keys(node.environment).filter((k) => !EVENTSTORE_SETTINGS.includes(k))).toEqual([]);
      expect(Number(node.environment.EVENTSTORE_CLUSTER_SIZE)).toBe(eventstores.length);
    }
    if (eventstores.length < 2) return;
    const ipam = compose.networks.cluster.ipam.config[0];
    const addressOf = (node: Yaml) => node.networks.cluster.ipv4_address as string;
    const last = (ip: string) => Number(ip.split('.').at(-1));
    for (const [name, node] of eventstores) {
      expect(node.environment.EVENTSTORE_REPLICATION_IP).toBe(addressOf(node));
      expect(addressOf(node).startsWith(ipam.subnet.replace(/0\/24$/, ''))).toBe(true);
      expect(last(addressOf(node))).toBeLessThan(last(ipam.ip_range.split('/')[0])); // never handed to another container
      const others = eventstores.filter(([other]) => other !== name).map(([, other]) => `${addressOf(other)}:2113`);
      expect(String(node.environment.EVENTSTORE_GOSSIP_SEED).split(',').sort()).toEqual(others.sort());
    }
  });

  it('sends signing to the signer and everything else to every replica, through a gateway that takes the ledger\'s largest body', () => {
    const gateway = Object.values(services).find((s) => String(s.image).startsWith('nginx:'));
    if (ledgers.length < 2) return expect(gateway).toBeUndefined();
    const mount = volumeOf((gateway!.volumes as string[])[0]!);
    const conf = text(join('docker', mount.source));
    const upstream = (name: string) => [...(new RegExp(`upstream ${name} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '').matchAll(/server (\S+)/g)].map((m) => m[1]);
    const address = ([name]: [string, Yaml]) => `${name}:${configs.get(name)!.config.port}`;
    expect(upstream('replicas').sort()).toEqual(ledgers.map(address).sort());
    expect(upstream('signer')).toEqual(ledgers.filter(([name]) => configs.get(name)!.config.treeHeadSigner).map(address));
    // The console's sessions are in one replica's memory: a browser must keep to it.
    expect(upstream('console').sort()).toEqual(ledgers.map(address).sort());
    expect(/upstream console \{[^}]*ip_hash;/.test(conf)).toBe(true);
    expect(conf).toMatch(/location \^~ \/console\/ \{\s*proxy_pass http:\/\/console;/);
    for (const path of ['= /v1/integrity/tree-heads', '= /v1/integrity/keys', '^~ /v1/access-report/']) {
      expect(conf).toMatch(new RegExp(`location ${path.replace(/[/^~]/g, '\\$&')} \\{\\s*proxy_pass http://signer;`));
    }
    const [, megabytes] = /client_max_body_size (\d+)m;/.exec(conf) ?? [];
    for (const [name] of ledgers) expect(Number(megabytes) * 1024 * 1024).toBeGreaterThanOrEqual(configs.get(name)!.config.bodyLimitBytes);
    expect(String(gateway!.ports[0]).split(':').at(-1)).toBe(/listen (\d+);/.exec(conf)?.[1]);
    // Each replica believes the gateway's X-Forwarded-* (the console's Secure cookie, clients' addresses), and only it.
    const gatewayAddress = gateway!.networks.cluster.ipv4_address as string;
    const firstDynamic = Number(String(compose.networks.cluster.ipam.config[0].ip_range).split('/')[0]!.split('.').at(-1));
    expect(Number(gatewayAddress.split('.').at(-1))).toBeLessThan(firstDynamic);
    for (const [name] of ledgers) expect(configs.get(name)!.config.trustProxy).toEqual([gatewayAddress]);
  });
});

describe('.github/workflows/ci.yml', () => {
  const workflow = yaml('.github/workflows/ci.yml');
  const steps = (job: string) => workflow.jobs[job].steps as Yaml[];

  it('runs the whole suite with the EventStoreDB suite required, and the e2e tests on EventStoreDB containers of the image compose runs', () => {
    const suite = steps('tests').find((s) => s.run === 'bash .ci/run');
    expect(suite?.env).toEqual({ DERBES_REQUIRE_EVENTSTORE: '1' });
    // No shared server: each test app gets its own container, so every suite starts on an empty ledger.
    expect(workflow.jobs['e2e-on-eventstoredb'].services).toBeUndefined();
    const e2e = steps('e2e-on-eventstoredb').find((s) => String(s.run).includes('e2e-spec'));
    expect(e2e?.env).toEqual({ DERBES_TEST_EVENT_STORE: 'esdb', DERBES_REQUIRE_EVENTSTORE: '1' });
    expect(EVENTSTORE_IMAGE).toBe(yaml('docker/compose.esdb.yml').services.eventstore.image);
    for (const job of Object.values(workflow.jobs) as Yaml[]) {
      expect(job.steps.find((s: Yaml) => s.uses?.startsWith('actions/setup-node'))?.with['node-version']).toBe(20);
    }
    expect(text('docker/Dockerfile')).toContain(`npm@${workflow.env.NPM_VERSION}`);
  });

  it('builds the image the compose files run and starts every compose file', () => {
    const runs = steps('docker').map((s) => String(s.run));
    expect(runs).toContain(`docker build -f docker/Dockerfile -t ${LEDGER_IMAGE} .`);
    const smoked = runs.map((r) => /^node docker\/smoke\.js (\S+)$/.exec(r)?.[1]).filter(Boolean).map((name) => `compose.${name}.yml`);
    expect(smoked.sort()).toEqual(composeFiles);
  });
});
