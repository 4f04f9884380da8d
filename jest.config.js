/** One jest run covers unit (*.spec.ts beside the code), integration and e2e (test/**). Jest runs in UTC. */
process.env.TZ = 'UTC';
const swc = ['@swc/jest', {
  jsc: { parser: { syntax: 'typescript', decorators: true },
         transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
}];
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@derbes/register$': '<rootDir>/libs/register/src/index.ts',
    '^@derbes/ledger$': '<rootDir>/libs/ledger/src/index.ts',
    '^@derbes/event-store$': '<rootDir>/libs/event-store/src/index.ts',
    '^@derbes/projections$': '<rootDir>/libs/projections/src/index.ts',
    '^@derbes/reports$': '<rootDir>/libs/reports/src/index.ts',
    '^@derbes/integrity$': '<rootDir>/libs/integrity/src/index.ts',
    '^@derbes/canonical-json$': '<rootDir>/libs/canonical-json/src/index.ts',
    '^@derbes/client$': '<rootDir>/libs/client/src/index.ts',
  },
  testTimeout: 30000,
};
