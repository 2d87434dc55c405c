export * from './hot-cell.js';
export * from './registry.js';
