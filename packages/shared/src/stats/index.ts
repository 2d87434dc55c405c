export * from './ranges.js';
export * from './snapshot-schema.js';
