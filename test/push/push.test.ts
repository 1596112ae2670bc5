import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconciledSample } from '../helpers/sample.js';
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { DEFAULT_SYSTEMS } from '../../src/push/fhir.js';
import { outboxSummary } from '../../src/push/outbox-report.js';
import { pushOutbox } from '../../src/push/push.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('push on %s', (kind) => {
  let t: TestDatabase;
  let simulator: PlatformSimulator;
  const dir = tempDir();
  let verified: Set<string>;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await reconciledSample(t.database, { persons: 150, seed: 5, dir });
    verified = new Set(
      (await t.database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute()).map((r) => String(r.person_id)),
    );
    simulator = await startPlatformSimulator({ faults: { rejectRate: 0.05, seed: 3 } });
  });
  afterAll(async () => {
    await simulator?.close();
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const personIdentifier = (id: string) => `Patient|${DEFAULT_SYSTEMS.personId}|${id}`;

  it('sends every verified person with its doses once, and records the rejections with their reason', async () => {
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const summary = await pushOutbox(t.database, platform, { bundlePersons: 7 });
    await platform.close();
    expect(summary.queued).toBe(verified.size);
    expect(summary.sent + summary.rejected).toBe(verified.size);
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.failed).toBe(0);

    const received = simulator.received();
    const patients = received.filter((r) => r.identifier.startsWith('Patient|'));
    // every verified person, and nobody else
    expect(new Set(patients.map((r) => r.identifier))).toEqual(new Set([...verified].map(personIdentifier)));
    for (const r of received) expect(r.created + r.rejected).toBe(1);
    // every dose of a verified person
    const doses = await t.database.db.selectFrom('dose').select(['id', 'person_id']).execute();
    const sentDoses = received.filter((r) => r.identifier.startsWith('Immunization|')).length;
    expect(sentDoses).toBe(doses.filter((d) => verified.has(String(d.person_id))).length);

    const outbox = await outboxSummary(t.database, { states: ['rejected'], limit: 1000 });
    expect(outbox.counts.acknowledged).toBe(summary.sent);
    expect(outbox.counts.rejected).toBe(summary.rejected);
    for (const item of outbox.items) expect(item.lastError).toMatch(/(Patient|Immunization D\d+): \S/);
  });

  it('sends nothing again while nothing changed, and re-sends a person whose record changed', async () => {
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const before = simulator.stats();
    const again = await pushOutbox(t.database, platform);
    expect(again).toMatchObject({ queued: 0, sent: 0, rejected: 0, failed: 0 });
    expect(simulator.stats().bundles).toBe(before.bundles);

    // a station corrects a phone: the golden record changes, so the person is queued and updated
    const acknowledged = await t.database.db.selectFrom('outbox').select('person_id').where('state', '=', 'acknowledged').orderBy('person_id').limit(1).executeTakeFirstOrThrow();
    await t.database.db.updateTable('person').set({ phone: '0912345678' }).where('id', '=', acknowledged.person_id).execute();
    const changed = await pushOutbox(t.database, platform);
    await platform.close();
    expect(changed).toMatchObject({ queued: 1, sent: 1 });
    const patient = simulator.received().find((r) => r.identifier === personIdentifier(String(acknowledged.person_id)))!;
    expect(patient).toMatchObject({ created: 1, updated: 1 });
  });
});
