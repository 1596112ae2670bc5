/**
 * The one error type of the project: every failure vaxsync raises on purpose is a `VaxsyncError` with a
 * stable `code` from the catalogue below. The code decides, once and here, whether the failure is the
 * user's doing (their input or usage: the CLI exits 2, HTTP answers 4xx, the message says what to fix)
 * or a fault (the CLI exits 1, HTTP answers 5xx), so the CLI and the HTTP service map errors in one place
 * each, never by a chain of `instanceof` checks. Anything else thrown is an unexpected fault.
 *
 * Codes are stable: scripts and the console may match on them; messages may be reworded. A message names
 * the file, field or setting at fault, never a citizen ID, a name or a phone number beyond what the user
 * gave and must see.
 */

/** Who must act: the user (fix the input or the command), or the operator (something broke). */
export type ErrorKind = 'user' | 'fault';

/** The HTTP statuses an error of the user's may answer with. */
export type ClientStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;
/** The HTTP statuses a fault may answer with. */
export type ServerStatus = 500 | 502 | 503;

/**
 * What a code means for the CLI and HTTP: a user error answers a 4xx (400 unless said), a fault a 5xx (500
 * unless said). A user error with a 5xx, or a fault with a 4xx, cannot be written.
 */
export type ErrorSpec =
  | { readonly kind: 'user'; readonly status?: ClientStatus }
  | { readonly kind: 'fault'; readonly status?: ServerStatus };

const user = (status?: ClientStatus): ErrorSpec => (status === undefined ? { kind: 'user' } : { kind: 'user', status });
const fault = (status?: ServerStatus): ErrorSpec => (status === undefined ? { kind: 'fault' } : { kind: 'fault', status });

/** Every error code of the project, with its kind and, where it is not the default, its HTTP status. */
export const ERROR_CODES = {
  // --- settings and the command line
  'config.invalid': user(),
  'cli.usage': user(),
  'cli.invalid_option': user(),

  // --- a file that cannot be read as a table of records (file, row and column named)
  'import.unreadable': user(),
  'import.empty': user(),
  'import.legacy_xls': user(),
  'import.pdf': user(),
  'import.not_xlsx': user(),
  'import.binary': user(),
  'import.bad_csv': user(),
  'import.bad_workbook': user(),
  'import.missing_columns': user(),
  'import.no_rows': user(),
  'import.not_utf8': user(),
  'import.legacy_font': user(),
  'import.utf16': user(),
  'import.cell_too_long': user(),
  'import.workbook_too_large': user(),
  'import.already_loading': user(409),

  // --- linked records: what the request asks does not fit the data's state
  'link.no_run': user(409),
  'link.stale_model': user(409),
  'link.unknown_record': user(404),
  'link.ambiguous_record': user(409),
  'link.self_pair': user(409),

  // --- evaluation against a truth file
  'evaluate.bad_input': user(),

  // --- API keys
  'key.invalid': user(),
  'key.exists': user(409),
  'key.not_found': user(404),

  // --- the population registry
  'registry.bad_config': user(),
  'registry.bad_file': user(),
  'registry.bad_data': user(),
  'registry.refused_credentials': user(),
  'registry.unreachable': fault(502),
  'registry.refused_request': fault(502),
  'registry.bad_answer': fault(502),
  'registry.failed': fault(502),
  'registry.closed': fault(),
  'registry.not_loaded': fault(),

  // --- the national platform
  'platform.bad_config': user(),
  'platform.refused_credentials': user(),
  'platform.refused_bundle': fault(502),
  'platform.unavailable': fault(502),
  'platform.closed': fault(),

  // --- the embedded database: another process holds its folder (src/db/data-dir-lock.ts)
  'db.in_use': user(409),

  // --- the nightly job
  'job.busy': user(409),
  'job.stopped': fault(503),

  // --- the HTTP API
  'http.no_route': user(404),
  'http.not_found': user(404),
  'http.forbidden': user(403),
  'http.unauthorized': user(401),
  'http.too_many_failures': user(429),
  'request.invalid': user(),
  'request.not_json': user(),
  'request.unsupported_media': user(415),
  'upload.too_large': user(413),
  'upload.no_file': user(),
  'upload.several_files': user(),
  'upload.in_flight': user(409),
  'upload.not_text': user(),
  'upload.not_loaded': user(409),
  'audit.unavailable': fault(503),
  internal: fault(),
} as const satisfies Readonly<Record<string, ErrorSpec>>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes whose kind is `kind`, e.g. `CodeOf<'user'>`. */
export type CodeOf<K extends ErrorKind> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never }[ErrorCode];

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CODES[code];
}

/** The HTTP status of a code: its own, or 400 for the user's errors and 500 for faults. */
export function httpStatusOf(code: ErrorCode): number {
  const spec: ErrorSpec = ERROR_CODES[code];
  return spec.status ?? (spec.kind === 'user' ? 400 : 500);
}

/** Facts about a failure for a program to use (the HTTP answer carries them beside the message). */
export type ErrorDetails = Readonly<Record<string, string | number | null>>;

export interface VaxsyncErrorOptions extends ErrorOptions {
  readonly details?: ErrorDetails;
}

/** A failure with a stable code; `kind` and the HTTP status follow from the code. */
export class VaxsyncError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'VaxsyncError';
  readonly code: C;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(code: C, message: string, options: VaxsyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.details = options.details ?? {};
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }
}

/** A place in a file: the row as a spreadsheet shows it (1-based, header included) and the column's header. */
export interface FilePlace {
  readonly row?: number;
  readonly column?: string;
}

/** Codes of a file that cannot be read as a table (the import's, and the registry extract's readers'). */
export type FileErrorCode = Extract<ErrorCode, `import.${string}`>;

/**
 * A file that cannot be read or used as a whole. The message names the file and, where known, the row
 * and the column: `stations.csv, row 7, column "Họ và tên": …`.
 */
export class FileError extends VaxsyncError<FileErrorCode> {
  override readonly name = 'FileError';

  constructor(
    code: FileErrorCode,
    readonly file: string,
    readonly problem: string,
    readonly where: FilePlace = {},
    options: VaxsyncErrorOptions = {},
  ) {
    super(code, `${describePlace(file, where)}: ${problem}`, options);
  }
}

function describePlace(file: string, where: FilePlace): string {
  return [file, where.row !== undefined ? `row ${where.row}` : null, where.column !== undefined ? `column "${where.column}"` : null]
    .filter(Boolean)
    .join(', ');
}
