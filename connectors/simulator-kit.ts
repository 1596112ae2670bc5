/**
 * What the simulators (registry, platform) share: the seeded fault schedule, the bearer-token check, and
 * starting and stopping their loopback HTTP server.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../src/base/random.js';

/**
 * A scripted sequence first, for tests that tell an exact story, then one draw per request against the
 * fault rates. The same seed gives the same faults on every machine.
 */
export function faultPlan<F extends string>(
  bands: readonly (readonly [fault: F, rate: number])[],
  options: { readonly seed?: number; readonly sequence?: readonly (F | 'ok')[] },
): () => F | 'ok' {
  const random = seededRandom(options.seed ?? 1);
  const script = [...(options.sequence ?? [])];
  return () => {
    const scripted = script.shift();
    if (scripted !== undefined) return scripted;
    let r = random();
    for (const [fault, rate] of bands) {
      if (r < rate) return fault;
      r -= rate;
    }
    return 'ok';
  };
}

/** Whether the Authorization header carries `token`, compared in constant time. */
export function sameToken(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Listens on `port` (0: a free one) at `host`; resolves with `http://host:port`. */
export async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Stops the server, without waiting for held-open ("timeout") requests or idle keep-alive connections. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
