// Runs integrity-perf.ts without a build: `node libs/integrity/perf/run.js [events]`. Compiles the TypeScript as it is
// required, with @swc/core and the options jest uses; the one alias the library imports (@derbes/canonical-json) is
// resolved to its source.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const swc = require(path.join(__dirname, '../../../node_modules/@swc/core'));
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@derbes/canonical-json') return path.join(__dirname, '../../canonical-json/src/index.ts');
  return resolve.call(this, request, ...rest);
};
require('./integrity-perf.ts');
