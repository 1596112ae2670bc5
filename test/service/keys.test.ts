/** API keys: stored as hashes only, validated on creation, found by secret, revoked by name. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, findApiKey, hashSecret, KeyError, listApiKeys, revokeApiKey } from '../../src/service/keys.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('API keys on pglite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('stores only the hash of a new secret and finds the key by its secret', async () => {
    const { key, secret } = await createApiKey(t.database, { name: 'tyt-00376', role: 'station', station: 'TYT00376', commune: '00376' });
    expect(secret).toMatch(/^vxs_[\w-]{43}$/);
    const stored = await t.database.db.selectFrom('api_key').selectAll().executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(hashSecret(secret));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
    expect(await findApiKey(t.database, secret)).toMatchObject({ id: key.id, role: 'station', stationCode: 'TYT00376', communeCode: '00376', revokedAt: null });
    expect(await findApiKey(t.database, secret + 'x')).toBeNull();
  });

  it('refuses incomplete or inconsistent keys with the reason', async () => {
    await expect(createApiKey(t.database, { name: 'st', role: 'station', station: 'TYT1' })).rejects.toThrow(/commune: a station key needs/);
    await expect(createApiKey(t.database, { name: 'st', role: 'station', station: 'TYT1', commune: '376' })).rejects.toThrow(/5-digit/);
    await expect(createApiKey(t.database, { name: 'rv', role: 'reviewer', commune: '00376' })).rejects.toThrow(/only a station key/);
    await expect(createApiKey(t.database, { name: 'x', role: 'admin' })).rejects.toThrow(KeyError);
    await expect(createApiKey(t.database, { name: 'bad name', role: 'operator' })).rejects.toThrow(/name/);
    await expect(createApiKey(t.database, { name: 'tyt-00376', role: 'operator' })).rejects.toThrow(/already exists/);
  });

  it('revokes by name, once; a revoked key is still found, marked revoked', async () => {
    const { secret } = await createApiKey(t.database, { name: 'ops', role: 'operator' });
    expect(await revokeApiKey(t.database, 'ops')).toBe(true);
    expect(await revokeApiKey(t.database, 'ops')).toBe(false);
    expect(await revokeApiKey(t.database, 'nobody')).toBe(false);
    expect((await findApiKey(t.database, secret))?.revokedAt).toBeInstanceOf(Date);
    expect((await listApiKeys(t.database)).map((k) => [k.name, k.revokedAt !== null])).toEqual([
      ['ops', true],
      ['tyt-00376', false],
    ]);
  });
});
