// Preloaded (`--import`) into worker threads started from TypeScript sources (see start-worker.ts)
// so they can load `.ts` modules. `--import tsx` is not enough there: tsx registers its loader on
// the main thread only (privatenumber/tsx#354). Plain JavaScript: it runs before any loader exists.
import { register } from 'tsx/esm/api';

register();
