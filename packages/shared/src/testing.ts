export * from './testing/test-services.js';
