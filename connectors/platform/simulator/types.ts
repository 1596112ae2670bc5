/** The platform simulator's public shapes: its options, fault settings, counters and handle. */
export type PlatformFault = 'ok' | 'error' | '429' | 'timeout' | 'drop' | 'dropAfterProcessing';

export interface PlatformFaults {
  /** Share of transaction requests answered 500; nothing is stored. */
  readonly errorRate?: number;
  /** Share of transaction requests answered 429 with `Retry-After: retryAfterSeconds`; nothing is stored. */
  readonly rate429?: number;
  /** Share of transaction requests never answered (held until the client gives up); nothing is stored. */
  readonly timeoutRate?: number;
  /** Share of transaction requests whose connection is destroyed before processing; nothing is stored. */
  readonly dropRate?: number;
  /** Share of transaction requests that ARE applied, then have their connection destroyed without an answer. */
  readonly dropAfterProcessingRate?: number;
  /** Share of entries answered 422 (business rule), drawn per identifier: the same entry is rejected again. */
  readonly rejectRate?: number;
  /** Delay before every transaction answer: a fixed number of ms, or [min, max] drawn per request. */
  readonly latencyMs?: number | readonly [number, number];
  readonly seed?: number;
  /** Default 1. */
  readonly retryAfterSeconds?: number;
  /** Faults of the first transaction requests, in order, before the random ones: for exact test stories. */
  readonly sequence?: readonly PlatformFault[];
}

export interface PlatformSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Path of the FHIR base, default `/fhir`; `''` serves it at the root. */
  readonly basePath?: string;
  /** Bearer token clients must send; none required when absent. */
  readonly token?: string;
  readonly faults?: PlatformFaults;
  /** Default 10 MB (MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
  /**
   * Keep each resource whole (default) so searches return it as sent; false keeps only its id, meta and
   * identifiers, for benchmarks (100,000 persons with 3 doses each: about 500 MB of heap whole, 170 MB without).
   */
  readonly keepResources?: boolean;
}

export type PlatformResourceType = 'Patient' | 'Immunization';
export type PerType = Record<PlatformResourceType, number>;

export interface PlatformStats {
  /** Transaction and search requests received, refused and faulty ones included (not introspection). */
  requests: number;
  /** Transaction bundles applied (those dropped after processing included). */
  bundles: number;
  creates: PerType;
  updates: PerType;
  /** Entries of applied bundles answered 4xx. */
  rejected: number;
  /** Resources in the store. */
  stored: PerType;
  /** Faults injected, by kind. */
  faults: Record<Exclude<PlatformFault, 'ok'>, number>;
  /** Requests refused whole: 401, 400, 404, 405, 413, 415. */
  refused: number;
}

export interface ReceivedIdentifier {
  /** `ResourceType|system|value`, from the entry's conditional `request.url`. */
  readonly identifier: string;
  /** Times an entry for it created a resource, updated one, was answered 4xx. */
  readonly created: number;
  readonly updated: number;
  readonly rejected: number;
}

/** A row of the simulator's export of what it holds (CSV columns citizen_id, person_id, vaccine, date). */
export interface PlatformExportRow {
  readonly citizenId: string;
  readonly personId: string;
  readonly vaccine: string;
  readonly date: string;
}

export interface PlatformSimulator {
  /** FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`: POST transaction Bundles here. */
  readonly url: string;
  close(): Promise<void>;
  /** The same snapshot as `GET {url}/_stats`. */
  stats(): PlatformStats;
  /** The same list as `GET {url}/_received`: by resource type, each in order of first receipt. */
  received(): ReceivedIdentifier[];
  /** What it holds, a row per Immunization (and per Patient without one): see PlatformState.exportRows. */
  exportRows(personIdSystem: string): PlatformExportRow[];
  /** The same as `POST {url}/_reset`: empties the store and the counters and restarts the fault plan. */
  reset(): void;
}
