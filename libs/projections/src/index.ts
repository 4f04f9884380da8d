export * from './projection';
export * from './projection-runner';
export { openReadModelDatabase } from './read-model-database';
