/**
 * The national immunization platform's FHIR R4 endpoint, simulated for demos, tests, the crash-recovery
 * test and the benchmark: answers transaction Bundles of conditional updates (see
 * /work/shared/contract/platform.md) from an in-memory store, with deterministic fault injection, so the
 * push connector's retries and exactly-once bookkeeping can be exercised without the real platform.
 * node:http only.
 *
 * Endpoints, under the base URL returned as `url` (default path `/fhir`):
 * - `POST {url}` or `POST {url}/`: a `transaction` Bundle whose entries are all conditional updates
 *   (`PUT Patient?identifier=SYSTEM|VALUE`, likewise `Immunization`). Answered by a `transaction-response`
 *   Bundle, one `entry.response` per entry, in order.
 * - `GET {url}/Patient?identifier=SYSTEM|VALUE`, `GET {url}/Immunization?identifier=…`: a `searchset`.
 * - Introspection for tests, no token, never faulty, not counted in `requests`: `GET {url}/_stats`,
 *   `GET {url}/_received`, `POST {url}/_reset`.
 *
 * NOT ATOMIC. A real FHIR transaction is all-or-nothing; this platform, as the contract says, answers per
 * entry: an entry answered 4xx is a rejection of that entry alone, and every other entry of the bundle is
 * still applied (and answered 200/201). Only whole-request failures (401, 400 for a body that is not a
 * transaction Bundle, 413, 415, 429, 500, faults) store nothing.
 *
 * Conditional update: a resource is found by any of its identifiers, so `PUT Patient?identifier=S|V` updates
 * the stored Patient carrying S|V (200 OK, versionId + 1) or creates one (201 Created); two stored resources
 * carrying S|V make it 412. The resource's own identifier list must contain S|V. Entries are applied in
 * two passes, Patients (and anything not an Immunization) first, then Immunizations, so an Immunization may
 * refer to a Patient of the same bundle whatever the order of the entries; its `patient.reference` may be a
 * `urn:uuid:` fullUrl of a Patient entry of the bundle, a conditional reference `Patient?identifier=S|V`, or
 * `Patient/<id>`, and is stored rewritten to `Patient/<id>`; one that resolves to nothing is 422.
 *
 * Each transaction request is checked in this order: token (401), then the fault drawn for it, then the
 * body (413 over 10 MB, 415 wrong Content-Type, 400 not a transaction Bundle), then entry by entry. Faults
 * are drawn from a generator seeded by `faults.seed`, one draw per authorised transaction request (searches
 * and introspection draw nothing), so the same seed and the same request order give the same faults.
 * Rejections by `rejectRate` are drawn per identifier instead (a hash of the seed and the identifier), so a
 * re-sent entry is rejected again, whatever the order. A bundle is applied as soon as it is read; the
 * latency delays only the answer (a client that gives up during it leaves the bundle applied, as a slow real
 * server would).
 *
 * Modules: ./simulator/types.ts (options, stats), ./simulator/faults.ts (fault plan), ./simulator/fhir-checks.ts
 * (request checks), ./simulator/store.ts (store and transaction processing), ./simulator/server.ts (HTTP).
 */
export * from './simulator/types.js';
export { MAX_BODY_BYTES, runPlatformSimulator, startPlatformSimulator } from './simulator/server.js';
