#!/usr/bin/env node
// Entry point for `npx vaxsync`. The sources are TypeScript run through tsx's loader, so there is no
// build step to forget and no stale compiled copy to debug.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
