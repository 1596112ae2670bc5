// Entry file of the cleaning worker thread. A worker starts without the main thread's loaders, so it
// registers tsx (as bin/vaxsync.js does) before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./clean-worker.ts');
