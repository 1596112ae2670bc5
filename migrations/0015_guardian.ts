/**
 * The guardian of a childhood (TCMR) record (records contract: `guardian_name`, `guardian_phone`), cleaned
 * like the person's own name and phone (issue 14): the mother's name is what joins a newborn's pre-naming
 * rows (`Con bà Nguyễn Thị Lan`) to the child's later named rows, and what keeps a child apart from its mother
 * and its siblings.
 *
 * `guardian_key` is the name's comparison key (lower case, no diacritics), as `name_key` is for `full_name`.
 * Nullable like every optional field: files without the columns load as before, older rows have none.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table record add column guardian_name text;
    alter table record add column guardian_key text;
    alter table record add column guardian_phone text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table record drop column guardian_phone;
    alter table record drop column guardian_key;
    alter table record drop column guardian_name;
  `.execute(db);
}
