// Entry file of the thread that writes link_key beside a full link. A worker starts without the main
// thread's loaders, so it registers tsx (as bin/vaxsync.js does) before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./background-keys-worker.ts');
