export * from './collection-rules.js';
export * from './event.js';
