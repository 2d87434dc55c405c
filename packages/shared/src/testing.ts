export * from './testing/embedded-database.js';
export * from './testing/free-port.js';
export * from './testing/migrate-or-throw.js';
export * from './testing/migrated-database.js';
export * from './testing/relays-up.js';
export * from './testing/role-context.js';
export * from './testing/stream-figures.js';
export * from './testing/test-services.js';
