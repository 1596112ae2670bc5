/**
 * API keys: created with a random secret that is shown once, stored as its sha256 only, looked up by that
 * hash on every request (no cache, so a revocation takes effect at the next request), revoked by name.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { VaxsyncError, type ErrorCode } from '../base/errors.js';
import type { Database } from '../db/database.js';
import type { ApiRole } from '../db/schema.js';

export const API_ROLES = ['station', 'reviewer', 'operator', 'police'] as const satisfies readonly ApiRole[];

/** Prefix of every secret: recognisable in a leaked config file or a secret scanner's rules. */
const SECRET_PREFIX = 'vxs_';

/** A key request refused: malformed, a name already taken, no such key. */
export class KeyError extends VaxsyncError<Extract<ErrorCode, `key.${string}`>> {
  override readonly name = 'KeyError';
}

export interface ApiKey {
  readonly id: number;
  readonly name: string;
  readonly role: ApiRole;
  readonly stationCode: string | null;
  readonly communeCode: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export const NewKeySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100).regex(/^[\w.@-]+$/, 'letters, digits, _ . @ - only'),
    role: z.enum(API_ROLES),
    station: z.string().trim().min(1).max(50).optional(),
    commune: z.string().trim().regex(/^\d{5}$/, 'must be a 5-digit commune code').optional(),
  })
  .superRefine((key, ctx) => {
    if (key.role === 'station') {
      if (!key.station) ctx.addIssue({ code: 'custom', path: ['station'], message: 'a station key needs its station code' });
      if (!key.commune) ctx.addIssue({ code: 'custom', path: ['commune'], message: 'a station key needs the commune it serves' });
    } else if (key.role === 'police') {
      // The commune police (Công an xã) check their own commune's list: a commune, no station.
      if (!key.commune) ctx.addIssue({ code: 'custom', path: ['commune'], message: 'a police key needs the commune it checks' });
      if (key.station) ctx.addIssue({ code: 'custom', path: ['station'], message: 'a police key has no station' });
    } else if (key.station || key.commune) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'only a station key has a station, and only a station or police key a commune' });
    }
  });

/** A key to create, as typed (command line, tests): validated by NewKeySchema, so the role is any text here. */
export interface NewKey {
  readonly name: string;
  readonly role: string;
  readonly station?: string | undefined;
  readonly commune?: string | undefined;
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Creates a key and returns its secret: the only time it exists outside the client that keeps it. */
export async function createApiKey(database: Database, input: NewKey): Promise<{ key: ApiKey; secret: string }> {
  const parsed = NewKeySchema.safeParse(input);
  if (!parsed.success) {
    throw new KeyError('key.invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'key'}: ${i.message}`).join('; '));
  }
  const { name, role, station, commune } = parsed.data;
  const secret = SECRET_PREFIX + crypto.randomBytes(32).toString('base64url');
  const existing = await database.db.selectFrom('api_key').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new KeyError('key.exists', `a key named ${name} already exists (revoked keys keep their name)`);
  const row = await database.db
    .insertInto('api_key')
    .values({ name, key_hash: hashSecret(secret), role, station_code: station ?? null, commune_code: commune ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key: toApiKey(row), secret };
}

export async function listApiKeys(database: Database): Promise<ApiKey[]> {
  const rows = await database.db.selectFrom('api_key').selectAll().orderBy('name').execute();
  return rows.map(toApiKey);
}

/** Revokes the key; false when no active key has that name. */
export async function revokeApiKey(database: Database, name: string): Promise<boolean> {
  const result = await database.db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The key a secret belongs to, revoked or not (the caller tells a revoked key from an unknown one), or null. */
export async function findApiKey(database: Database, secret: string): Promise<ApiKey | null> {
  const row = await database.db.selectFrom('api_key').selectAll().where('key_hash', '=', hashSecret(secret)).executeTakeFirst();
  return row ? toApiKey(row) : null;
}

export function formatApiKeys(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return 'no API keys yet: vaxsync keys create --name NAME --role ROLE';
  return keys
    .map((k) =>
      [
        k.name.padEnd(24),
        k.role.padEnd(8),
        k.role === 'station' ? `station ${k.stationCode} commune ${k.communeCode}` : k.role === 'police' ? `commune ${k.communeCode}` : '',
        `created ${k.createdAt.toISOString().slice(0, 10)}`,
        k.revokedAt ? `REVOKED ${k.revokedAt.toISOString().slice(0, 10)}` : '',
      ]
        .filter(Boolean)
        .join('  '),
    )
    .join('\n');
}

function toApiKey(row: {
  id: number;
  name: string;
  role: ApiRole;
  station_code: string | null;
  commune_code: string | null;
  created_at: Date;
  revoked_at: Date | null;
}): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    stationCode: row.station_code,
    communeCode: row.commune_code,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
