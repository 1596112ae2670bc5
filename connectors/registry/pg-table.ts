/**
 * A table or view of another PostgreSQL database as the registry (for instance a copy of the population
 * database kept by the provincial police), read through its own `pg` pool with a column mapping:
 *
 *   tableRegistry({ url: 'postgres://reader@host/dancu', table: 'public.cong_dan',
 *                   columns: { citizen_id: 'so_dinh_danh', full_name: 'ho_ten', birth_date: 'ngay_sinh', status: 'trang_thai' } })
 *
 * Every value is read as text (`::text`) and cleaned by the same rules as a file extract (identity.ts), so
 * the same citizen gives the same identity from either connector. The configuration and the mapping are
 * checked when the connector opens, so a wrong column fails at once with its name, not at the first lookup.
 */
import pg from 'pg';
import { z } from 'zod';
import { parseIsoPartialDate } from '../../src/clean/date.js';
import { parseRegistryRow, rankCandidates } from './identity.js';
import {
  REGISTRY_FIELDS,
  RegistryError,
  type IdentityQuery,
  type RegistryConnector,
  type RegistryField,
  type RegistryIdentity,
  type RegistryRawRow,
} from './types.js';

const columnName = (field: RegistryField) =>
  z
    .string({ error: `the column holding ${field} must be given as a string` })
    .min(1, `the column holding ${field} must not be empty`)
    .refine((name) => !name.includes('\u0000'), `the column holding ${field} must not contain a NUL character`);

const TableRegistryConfigSchema = z.object({
  url: z
    .string({ error: 'the connection string is required' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string'),
  table: z
    .string({ error: 'the table (or view) name is required' })
    .refine((name) => /^[^.]+(\.[^.]+)?$/.test(name) && !name.includes('\u0000'), 'must be "table" or "schema.table"'),
  columns: z.strictObject(
    {
      citizen_id: columnName('citizen_id'),
      full_name: columnName('full_name'),
      birth_date: columnName('birth_date'),
      status: columnName('status'),
      sex: columnName('sex').optional(),
      commune_code: columnName('commune_code').optional(),
      death_date: columnName('death_date').optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown registry field(s) ${issue.keys.join(', ')}; the fields are ${REGISTRY_FIELDS.join(', ')}` : 'the column mapping is required') },
  ),
  /** Connections to the registry database. */
  poolSize: z.number().int().min(1).max(32).default(4),
  connectTimeoutMs: z.number().int().positive().default(10_000),
});

export type TableRegistryConfig = z.input<typeof TableRegistryConfigSchema>;

/** IDs per query: one array parameter; the registry's own index on the ID column does the rest. */
const ID_CHUNK = 10_000;
/** Birth dates per identity query: everyone born on a day is fetched, so few days at a time. */
const DATE_CHUNK = 50;

const DATE_TYPES = new Set([1082 /* date */, 1114 /* timestamp */, 1184 /* timestamptz */]);
const TEXT_TYPES = new Set([25 /* text */, 1043 /* varchar */, 1042 /* bpchar */, 19 /* name */]);

/** A quoted SQL identifier: any name the registry's owner chose is safe, and its case is kept. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the registry database';
  }
}

/** What went wrong with the registry database, said without the password and without any citizen's data. */
function registryDatabaseError(error: unknown, target: string, table: string): RegistryError {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case '28P01':
    case '28000':
      return new RegistryError('registry.refused_credentials', `the registry database ${target} refused the credentials (${e.code})`, { cause: error });
    case '3D000':
      return new RegistryError('registry.bad_config', `the registry database ${target} does not exist`, { cause: error });
    case '42P01':
    case '3F000':
      return new RegistryError('registry.bad_config', `the registry table ${table} does not exist in ${target} (names are case-sensitive)`, { cause: error });
    case '42501':
      return new RegistryError('registry.bad_config', `the registry database ${target} refused to let this user read ${table}`, { cause: error });
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return new RegistryError('registry.unreachable', `cannot reach the registry database ${target} (${e.code})`, { cause: error });
    default:
      if (/timeout/i.test(e.message ?? '')) return new RegistryError('registry.unreachable', `cannot reach the registry database ${target} (connection timeout)`, { cause: error });
      return new RegistryError('registry.failed', `the registry database ${target} failed on ${table}${e.code ? ` (${e.code})` : ''}`, { cause: error });
  }
}

/** The spellings a birth-date text column may hold for one partial ISO date (the contract's formats). */
function birthDateSpellings(iso: string): string[] {
  const date = parseIsoPartialDate(iso);
  if (date === null) return [];
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (date.precision) {
    case 'year':
      return [iso];
    case 'month':
      return [iso, `${pad(date.month)}/${date.year}`];
    case 'day':
      return [iso, `${pad(date.day)}/${pad(date.month)}/${date.year}`];
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function tableRegistry(config: TableRegistryConfig): Promise<RegistryConnector> {
  const parsed = TableRegistryConfigSchema.safeParse(config);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'configuration'}: ${i.message}`);
    throw new RegistryError('registry.bad_config', `invalid registry table configuration:\n${lines.join('\n')}`);
  }
  const { url, table, columns, poolSize, connectTimeoutMs } = parsed.data;
  const target = describeTarget(url);
  const qualifiedTable = table.split('.').map(quoteIdentifier).join('.');

  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: connectTimeoutMs });
  // An idle connection the server drops must not crash the process; the next query reports the problem.
  pool.on('error', () => {});

  const mapped = REGISTRY_FIELDS.flatMap((field) => (columns[field] === undefined ? [] : [[field, columns[field]] as const]));
  let birthDateType: number;
  try {
    const { fields } = await pool.query(`select * from ${qualifiedTable} limit 0`);
    const present = new Map(fields.map((f) => [f.name, f.dataTypeID]));
    for (const [field, column] of mapped) {
      if (!present.has(column)) {
        throw new RegistryError(
          'registry.bad_config',
          `column "${column}" (mapped to ${field}) is not in the registry table ${table} of ${target}; its columns are: ${[...present.keys()].join(', ')}`,
        );
      }
    }
    birthDateType = present.get(columns.birth_date)!;
  } catch (error) {
    await pool.end();
    throw error instanceof RegistryError ? error : registryDatabaseError(error, target, table);
  }

  const selectList = mapped.map(([field, column]) => `${quoteIdentifier(column)}::text as ${field}`).join(', ');
  // Ordered by every column so that an ID the table holds twice always resolves to the same row.
  const orderBy = mapped.map((_, i) => i + 1).join(', ');
  const idColumn = quoteIdentifier(columns.citizen_id);
  const birthColumn = quoteIdentifier(columns.birth_date);

  async function select(where: string, values: unknown[]): Promise<RegistryRawRow[]> {
    try {
      const { rows } = await pool.query<RegistryRawRow>(`select ${selectList} from ${qualifiedTable} where ${where} order by ${orderBy}`, values);
      return rows;
    } catch (error) {
      throw registryDatabaseError(error, target, table);
    }
  }

  /** A status the mapping cannot read is a wrong mapping (or vocabulary), reported once, not a missing person. */
  function identityOf(raw: RegistryRawRow): RegistryIdentity | null {
    const row = parseRegistryRow(raw);
    if (row.ok) return row.identity;
    if (row.rejection.field === 'status') {
      throw new RegistryError('registry.bad_data', `registry table ${table}, column "${columns.status}": ${row.rejection.problem}`);
    }
    return null; // an unusable ID in the registry matches no query
  }

  /**
   * Everyone born on the given days. A date column holds full days only; a text column is matched on the
   * contract's spellings (ISO and dd/mm/yyyy); anything else is compared as its text.
   */
  function birthDateCondition(dates: readonly string[]): [string, unknown[]] {
    if (DATE_TYPES.has(birthDateType)) {
      const days = dates.filter((d) => parseIsoPartialDate(d)?.precision === 'day');
      return [`${birthColumn}::date = any($1::date[])`, [days]];
    }
    const spellings = dates.flatMap(birthDateSpellings);
    // Untyped, so that the parameter takes the column's own type and its index can be used.
    if (TEXT_TYPES.has(birthDateType)) return [`${birthColumn} = any($1)`, [spellings]];
    return [`${birthColumn}::text = any($1::text[])`, [spellings]];
  }

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new RegistryError('registry.closed', `the registry table connector for ${table} is closed`);
  };

  return {
    source: `table:${table}@${target}`,

    async lookupByIds(ids) {
      assertOpen();
      const wanted = new Set(ids);
      const found = new Map<string, RegistryIdentity>();
      for (const chunk of chunks([...wanted], ID_CHUNK)) {
        // Untyped parameter: it takes the ID column's type, so a numeric ID column works and keeps its index.
        for (const raw of await select(`${idColumn} = any($1)`, [chunk])) {
          const identity = identityOf(raw);
          if (identity !== null && wanted.has(identity.citizenId) && !found.has(identity.citizenId)) found.set(identity.citizenId, identity);
        }
      }
      return found;
    },

    /**
     * Fetches everyone born on the queried days and keeps those whose cleaned name has the query's key: the
     * key is computed by the project's name rules, which SQL cannot reproduce. The commune only ranks.
     */
    async findByIdentity(queries: readonly IdentityQuery[]) {
      assertOpen();
      const byPair = new Map<string, Map<string, RegistryIdentity>>();
      const pairKey = (nameKey: string, birthDate: string) => `${nameKey}\u0000${birthDate}`;
      const wanted = new Set(queries.map((q) => pairKey(q.nameKey, q.birthDate)));
      for (const dates of chunks([...new Set(queries.map((q) => q.birthDate))], DATE_CHUNK)) {
        const [where, values] = birthDateCondition(dates);
        for (const raw of await select(where, values)) {
          const identity = identityOf(raw);
          if (identity === null || identity.nameKey === null || identity.birthDate === null) continue;
          const key = pairKey(identity.nameKey, identity.birthDate);
          if (!wanted.has(key)) continue;
          let candidates = byPair.get(key);
          if (candidates === undefined) byPair.set(key, (candidates = new Map()));
          if (!candidates.has(identity.citizenId)) candidates.set(identity.citizenId, identity);
        }
      }
      const result = new Map<string, RegistryIdentity[]>();
      for (const q of queries) {
        const candidates = byPair.get(pairKey(q.nameKey, q.birthDate));
        if (candidates) result.set(q.key, rankCandidates([...candidates.values()], q.communeCode));
      }
      return result;
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
