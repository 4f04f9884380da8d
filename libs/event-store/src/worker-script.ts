import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this repository given without its extension (e.g. `join(__dirname,
 * 'sqlite-writer.worker')`). Built (`dist/`), that is the `.js` file. Run from the TypeScript sources (jest, the
 * tests' child processes), Node cannot load the `.ts` file itself: the worker then compiles each file as it is
 * required with @swc/core (a dev dependency, present wherever the sources are run), with the options jest uses,
 * and resolves the `@derbes/*` aliases as tsconfig.json does.
 */
export function startWorker(modulePath: string, options: WorkerOptions = {}): Worker {
  if (existsSync(`${modulePath}.js`)) return new Worker(`${modulePath}.js`, options);
  const source = `${modulePath}.ts`;
  if (!existsSync(source)) throw new Error(`no worker module at ${modulePath}(.js|.ts)`);
  return new Worker(`${typescriptLoader(repositoryRoot(source))}\nrequire(${JSON.stringify(source)});`, { ...options, eval: true });
}

/**
 * Code that makes `require` load this repository's TypeScript files (compiled one by one with @swc/core, with the
 * options jest uses) and resolve the `@derbes/*` aliases; `root` is the repository's directory. For a worker or a
 * child process (`node -e`) that runs the sources without a build.
 */
export function typescriptLoader(root: string): string {
  return `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const root = ${JSON.stringify(root)};
const swc = require(path.join(root, 'node_modules/@swc/core'));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@derbes\\/([a-z-]+)$/.exec(request);
  return resolveFilename.call(this, alias ? path.join(root, 'libs', alias[1], 'src/index.ts') : request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename, sourceMaps: 'inline', module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  });
  module._compile(code, filename);
};
`;
}

/** The directory holding package.json above a source file. */
export function repositoryRoot(file: string): string {
  let dir = resolve(file, '..');
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  return dir;
}
