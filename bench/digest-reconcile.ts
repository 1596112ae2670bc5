/**
 * A digest of what reconcile writes, to show a change to src/reconcile left its results identical:
 * BENCH_PEOPLE (default 200,000) people of the reconcile bench's data, one police answer per 997 people
 * (each outcome in turn, half with a name), reconciled once and again with `all`; prints an md5 of the
 * registry_check rows (all but checked_at) and of the person fields reconcile writes, both ordered by id.
 *
 *     DATABASE_URL=postgres://… node --import tsx bench/digest-reconcile.ts
 *
 * Run it before and after the change and compare the `first:` and `all:` lines (the timings beside them are noise).
 */
import { fileRegistry, loadRegistryFile } from '../connectors/registry/file.js';
import type { Database } from '../src/db/database.js';
import { reconcile } from '../src/reconcile/reconcile.js';
import { inScratchSchema } from './kept-schema.js';
import { writeReconcileData } from './reconcile.js';

const url = process.env.DATABASE_URL!;
const people = Number(process.env.BENCH_PEOPLE ?? 200_000);

const digest = async (database: Database, label: string) => {
  const [c] = await database.withTransaction((tx) => tx.query<{ n: string; h: string }>(`select count(*) n, md5(string_agg(concat_ws('|', person_id, person_link_run, registry, status, fields::text, found_by, citizen_id, note, ours::text, registry_identity::text), E'\\n' order by person_id)) h from registry_check`));
  const [p] = await database.withTransaction((tx) => tx.query<{ n: string; h: string }>(`select count(*) n, md5(string_agg(concat_ws('|', id, link_run_id, full_name, birth_date, sex, citizen_id, sources::text), E'\\n' order by id)) h from person`));
  console.log(`${label}: checks ${c!.n} ${c!.h}; person ${p!.n} ${p!.h}`);
};
await inScratchSchema(url, 'digest', async (database, dir) => {
  const file = await writeReconcileData(database, dir, people);
  await loadRegistryFile(database, file);
  const connector = await fileRegistry(database, file);
  // a few police answers so that path is covered too
  await database.withTransaction(async (tx) => {
    await tx.query(`insert into api_key (name, key_hash, role) values ('ca_x', 'h', 'operator')`);
    await tx.query(`insert into police_answer (person_id, outcome, commune_code, citizen_id, full_name, birth_date, sex, officer, asked, officer_key_id)
    select id, (array['id_confirmed','corrected','not_resident','deceased'])[1 + id % 4]::text, '00001', null, case when id % 2 = 0 then 'Nguyễn Văn An' end, null, null, 'ca_x', '{}', (select id from api_key limit 1) from person where id % 997 = 0`);
  });
  const s1 = await reconcile(database, connector);
  console.log(JSON.stringify(s1.byStatus), s1.adopted, s1.seconds.toFixed(1));
  await digest(database, 'first');
  const s2 = await reconcile(database, connector, { all: true });
  console.log(JSON.stringify(s2.byStatus), s2.adopted, s2.seconds.toFixed(1));
  await digest(database, 'all');
  await connector.close();
});
