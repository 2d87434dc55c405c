export * from './collector.js';
