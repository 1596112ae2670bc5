/**
 * Behind a reverse proxy every request comes from the proxy's address: without VAXSYNC_TRUST_PROXY the
 * failed-authentication limit would lock every station out at once after one client's failures. With the
 * proxy named, the limit and the audit log key on the client's address from X-Forwarded-For; without it
 * (the default) the header is ignored, so a client cannot escape the limit by naming another address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestService, type TestService } from './helpers.js';

const FORWARDED = (address: string) => ({ 'x-forwarded-for': address });

describe('the failed-authentication limit behind a reverse proxy', () => {
  let s: TestService | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('keys on the client address X-Forwarded-For gives when the proxy (here 127.0.0.1) is trusted', async () => {
    s = await startTestService('postgres', { env: { VAXSYNC_AUTH_FAILURES_PER_MINUTE: '2', VAXSYNC_TRUST_PROXY: '127.0.0.1' } });
    const wrong = (address: string) => call(`${s!.api}/me`, { key: 'vxs_wrong', headers: FORWARDED(address) });
    expect((await wrong('203.0.113.5')).status).toBe(401);
    expect((await wrong('203.0.113.5')).status).toBe(401);
    expect((await wrong('203.0.113.5')).status).toBe(429);
    // another client behind the same proxy is not locked out, with a wrong key or a good one
    expect((await wrong('203.0.113.6')).status).toBe(401);
    expect((await call(`${s.api}/me`, { key: s.keys.operator, headers: FORWARDED('198.51.100.7') })).status).toBe(200);
    await s.app.close(); // writes the failure counts still in memory
    const audited = await s.database.db.selectFrom('audit_log').select(['ip', 'outcome']).execute();
    const ips = new Set(audited.map((r) => r.ip));
    expect(ips).toEqual(new Set(['203.0.113.5', '203.0.113.6', '198.51.100.7']));
  });

  it('ignores X-Forwarded-For by default: a client naming other addresses is still counted under its own', async () => {
    s = await startTestService('postgres', { env: { VAXSYNC_AUTH_FAILURES_PER_MINUTE: '2' } });
    expect(s.config.trustProxy).toBe(false);
    const statuses: number[] = [];
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      statuses.push((await call(`${s.api}/me`, { key: 'vxs_wrong', headers: FORWARDED(address) })).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    await s.app.close();
    const audited = await s.database.db.selectFrom('audit_log').select('ip').execute();
    expect(new Set(audited.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
  });

  it('with a hop count, takes the address the nearest proxy added, not one the client wrote before it', async () => {
    s = await startTestService('postgres', { env: { VAXSYNC_AUTH_FAILURES_PER_MINUTE: '2', VAXSYNC_TRUST_PROXY: '1' } });
    // the client writes a fresh address each time; the proxy appends the one it saw (always 203.0.113.9)
    const statuses: number[] = [];
    for (const spoofed of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      statuses.push((await call(`${s.api}/me`, { key: 'vxs_wrong', headers: FORWARDED(`${spoofed}, 203.0.113.9`) })).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect((await call(`${s.api}/me`, { key: s.keys.operator, headers: FORWARDED('203.0.113.10') })).status).toBe(200);
  });

  it('does not believe X-Forwarded-For from an address that is not a trusted proxy', async () => {
    s = await startTestService('postgres', { env: { VAXSYNC_AUTH_FAILURES_PER_MINUTE: '2', VAXSYNC_TRUST_PROXY: '10.0.0.0/8' } });
    const statuses: number[] = [];
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      statuses.push((await call(`${s.api}/me`, { key: 'vxs_wrong', headers: FORWARDED(address) })).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
  });
});
