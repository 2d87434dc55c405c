export * from './jump-hash.js';
export * from './normalize-url.js';
export * from './outage-causes.js';
export * from './relay-network.js';
export * from './relay-status.js';
export * from './seed-relays.js';
