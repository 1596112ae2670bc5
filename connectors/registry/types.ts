/**
 * What every population-registry connector answers, whichever the registry is behind it: an extract file
 * loaded into the database, a table of another PostgreSQL database, or an HTTP service. Reconciliation
 * works on these types only, so the same statuses come out whichever connector is used
 * (../../../shared/contract/registry.md).
 */
import { VaxsyncError, type ErrorCode } from '../../src/base/errors.js';

/** One citizen as the registry knows them, cleaned with the project's rules (identity.ts). */
export interface RegistryIdentity {
  /** 12 digits. */
  readonly citizenId: string;
  /** As registered, cleaned by normalizeName (`.full`): the authoritative spelling. */
  readonly fullName: string | null;
  /** normalizeName(...).key: the diacritic-free comparison key. */
  readonly nameKey: string | null;
  /** Partial ISO date: `yyyy`, `yyyy-mm` or `yyyy-mm-dd`. */
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  /** The current (post-2025) commune code when it can be mapped, else the code as given. */
  readonly communeCode: string | null;
  readonly status: 'alive' | 'deceased';
  readonly deathDate: string | null;
}

/** A search for people without a usable ID; `key` is the caller's own handle for the answer. */
export interface IdentityQuery {
  readonly key: string;
  readonly nameKey: string;
  /** Partial ISO date, matched exactly (a year-only query finds year-only registry dates). */
  readonly birthDate: string;
  /** Used to rank candidates, never to hide them (see `findByIdentity`). */
  readonly communeCode: string | null;
}

export interface RegistryConnector {
  /** Where answers come from, stored with each result as provenance (e.g. `file:registry.csv#sha256prefix`, `table:public.citizens`, `http://host/...`). */
  readonly source: string;
  /** Looks up many IDs at once; IDs absent from the registry are absent from the map. */
  lookupByIds(ids: readonly string[]): Promise<Map<string, RegistryIdentity>>;
  /**
   * Candidates per query key for people without an ID: same name key and same birth date. A commune that
   * differs does not remove a candidate (people move, and the 2025 reform renumbered communes): candidates in
   * the query's commune come first, and ranking is the caller's. Queries without candidates are absent.
   * Absent on connectors that cannot search (HTTP).
   */
  findByIdentity?(queries: readonly IdentityQuery[]): Promise<Map<string, RegistryIdentity[]>>;
  close(): Promise<void>;
}

/**
 * A registry that cannot be used: bad credentials, unreachable service, bad file (file name + row + column),
 * bad mapping. Messages never contain a citizen ID, a name or a phone number.
 */
export class RegistryError extends VaxsyncError<Extract<ErrorCode, `registry.${string}`>> {
  override readonly name = 'RegistryError';
}

/** The columns of a registry extract, by their contract names. */
export const REGISTRY_FIELDS = ['citizen_id', 'full_name', 'birth_date', 'sex', 'commune_code', 'status', 'death_date'] as const;

export type RegistryField = (typeof REGISTRY_FIELDS)[number];

/**
 * Without these a registry cannot tell whether a record's identity agrees, nor whether the person is alive.
 * `sex`, `commune_code` and `death_date` may be absent.
 */
export const REQUIRED_REGISTRY_FIELDS: readonly RegistryField[] = ['citizen_id', 'full_name', 'birth_date', 'status'];

/** One registry row as text, before cleaning: a file row, a table row or an HTTP result. */
export type RegistryRawRow = Partial<Record<RegistryField, string | null>>;
