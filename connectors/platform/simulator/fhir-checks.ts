/**
 * What the simulator checks in a FHIR request, without state: conditional URLs, identifiers, the structural
 * rules of a Patient or an Immunization, and the OperationOutcome that explains a refusal.
 */
import type { PlatformResourceType } from './types.js';

export type Json = Record<string, unknown>;

export interface Issue {
  readonly code: string;
  readonly diagnostics: string;
  readonly expression?: string;
}

export interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: { severity: 'error'; code: string; diagnostics: string; expression?: string[] }[];
}

export function operationOutcome(issue: Issue): OperationOutcome {
  const { code, diagnostics, expression } = issue;
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics, ...(expression ? { expression: [expression] } : {}) }] };
}

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
export const isResourceType = (value: unknown): value is PlatformResourceType => value === 'Patient' || value === 'Immunization';

export interface ConditionalUrl {
  readonly type: string;
  /** `system|value`, decoded. */
  readonly key: string;
  readonly system: string;
}

/**
 * Reads `Type?identifier=SYSTEM|VALUE` (system and value URL-encoded each, or the whole, `|` as `%7C`).
 * Returns the reason as a string when it cannot.
 */
export function parseConditional(url: string): ConditionalUrl | string {
  const question = url.indexOf('?');
  if (question <= 0) return 'must be a conditional URL of the form Type?identifier=SYSTEM|VALUE';
  const type = url.slice(url.startsWith('/') ? 1 : 0, question);
  if (type.includes('/')) return 'must be relative to the base: Type?identifier=SYSTEM|VALUE';
  const params = url.slice(question + 1).split('&');
  if (params.length !== 1 || !params[0]!.startsWith('identifier=')) return 'the only search parameter allowed is identifier=SYSTEM|VALUE';
  const raw = params[0]!.slice('identifier='.length);
  let system: string;
  let value: string;
  try {
    const pipe = raw.indexOf('|');
    if (pipe >= 0) {
      system = decodeURIComponent(raw.slice(0, pipe));
      value = decodeURIComponent(raw.slice(pipe + 1));
    } else {
      const decoded = decodeURIComponent(raw);
      const at = decoded.indexOf('|');
      if (at < 0) return 'identifier must be SYSTEM|VALUE, with the system';
      system = decoded.slice(0, at);
      value = decoded.slice(at + 1);
    }
  } catch {
    return 'identifier is not validly URL-encoded';
  }
  if (system === '' || value === '') return 'identifier must be SYSTEM|VALUE, both non-empty';
  return { type, key: `${system}|${value}`, system };
}

/** `system|value` of each identifier of a resource, without repeats (identifiers lacking either are skipped). */
export function identifierKeys(resource: Json): string[] {
  const keys = new Set<string>();
  if (Array.isArray(resource.identifier)) {
    for (const identifier of resource.identifier as unknown[]) {
      if (isObject(identifier) && isText(identifier.system) && isText(identifier.value)) keys.add(`${identifier.system}|${identifier.value}`);
    }
  }
  return [...keys];
}

const FHIR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const FHIR_DATE_TIME = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const GENDERS = new Set(['male', 'female', 'other', 'unknown']);
const IMMUNIZATION_STATUSES = new Set(['completed', 'entered-in-error', 'not-done']);

/** The structural checks of a resource: the first problem found, or null. */
export function structuralProblem(resource: Json, at: string): Issue | null {
  const invalid = (field: string, diagnostics: string): Issue => ({ code: 'required', diagnostics, expression: `${at}.${field}` });
  if (!Array.isArray(resource.identifier) || resource.identifier.length === 0) {
    return invalid('identifier', `${resource.resourceType as string} must have at least one identifier`);
  }
  for (const [i, identifier] of (resource.identifier as unknown[]).entries()) {
    if (!isObject(identifier) || !isText(identifier.system) || !isText(identifier.value)) {
      return invalid(`identifier[${i}]`, 'every identifier must have a system and a value');
    }
  }
  if (resource.resourceType === 'Patient') {
    if (resource.birthDate !== undefined && !(typeof resource.birthDate === 'string' && FHIR_DATE.test(resource.birthDate))) {
      return { code: 'value', diagnostics: 'birthDate must be a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD', expression: `${at}.birthDate` };
    }
    if (resource.gender !== undefined && !GENDERS.has(resource.gender as string)) {
      return { code: 'value', diagnostics: 'gender must be one of male, female, other, unknown', expression: `${at}.gender` };
    }
    return null;
  }
  if (!isText(resource.status)) return invalid('status', 'Immunization.status is required');
  if (!IMMUNIZATION_STATUSES.has(resource.status)) {
    return { code: 'value', diagnostics: 'Immunization.status must be one of completed, entered-in-error, not-done', expression: `${at}.status` };
  }
  const vaccineCode = resource.vaccineCode;
  const coded = isObject(vaccineCode) && (isText(vaccineCode.text) || (Array.isArray(vaccineCode.coding) && vaccineCode.coding.some((c) => isObject(c) && isText(c.code))));
  if (!coded) return invalid('vaccineCode', 'Immunization.vaccineCode is required: a coding with a code, or a text');
  if (!isObject(resource.patient) || !isText(resource.patient.reference)) return invalid('patient', 'Immunization.patient.reference is required');
  if (resource.occurrenceDateTime === undefined && resource.occurrenceString === undefined) {
    return invalid('occurrence[x]', 'Immunization.occurrence[x] is required (occurrenceDateTime or occurrenceString)');
  }
  if (resource.occurrenceDateTime !== undefined && !(typeof resource.occurrenceDateTime === 'string' && FHIR_DATE_TIME.test(resource.occurrenceDateTime))) {
    return { code: 'value', diagnostics: 'occurrenceDateTime must be a FHIR dateTime (a time needs a time zone)', expression: `${at}.occurrenceDateTime` };
  }
  if (resource.occurrenceString !== undefined && !isText(resource.occurrenceString)) {
    return { code: 'value', diagnostics: 'occurrenceString must be a non-empty string', expression: `${at}.occurrenceString` };
  }
  return null;
}
