import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry, loadRegistryFile } from '../../../connectors/registry/file.js';
import { tableRegistry, type TableRegistryConfig } from '../../../connectors/registry/pg-table.js';
import { RegistryError, type RegistryConnector } from '../../../connectors/registry/types.js';
import { openTestDatabase, TEST_DATABASE_URL, tempDir, type TestDatabase } from '../../helpers/database.js';

const schema = `registry_src_${process.pid}_${Date.now().toString(36)}`;

// The registry's own layout: Vietnamese column names (one with a space and capitals, to be quoted), text
// birth dates in both contract formats, an ID column of another database's choosing.
const ROWS: (string | null)[][] = [
  ['001085012345', 'NGUYỄN THỊ THUỶ', '15/03/1985', 'Nữ', '00004', 'Còn sống', null],
  ['079060012346', 'Trần Văn Hoà'.normalize('NFD'), '1960', 'Nam', '00001', 'Đã chết', '02/01/2024'],
  ['048301000001', 'Phạm Thị Lan', '2001-07-09', 'nữ', '00376', 'alive', null],
  ['001301000002', 'Phạm Thị Lan', '09/07/2001', 'Nữ', '00004', null, null],
  ['12345', 'Lê Văn An', '1990', 'Nam', null, 'còn sống', null],
];

const MAPPING = {
  citizen_id: 'so_dinh_danh',
  full_name: 'Họ Tên',
  birth_date: 'ngay_sinh',
  sex: 'gioi_tinh',
  commune_code: 'ma_xa',
  status: 'trang_thai',
  death_date: 'ngay_mat',
} as const;

const config = (overrides: Partial<TableRegistryConfig> = {}): TableRegistryConfig => ({
  url: TEST_DATABASE_URL,
  table: `${schema}.cong_dan`,
  columns: MAPPING,
  ...overrides,
});

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL table registry', () => {
  let registry: RegistryConnector;

  beforeAll(async () => {
    await withClient(async (client) => {
      await client.query(`create schema ${schema}`);
      await client.query(
        `create table ${schema}.cong_dan (id serial primary key, so_dinh_danh text, "Họ Tên" text, ngay_sinh text, gioi_tinh text, ma_xa text, trang_thai text, ngay_mat text)`,
      );
      for (const row of ROWS) {
        await client.query(
          `insert into ${schema}.cong_dan (so_dinh_danh, "Họ Tên", ngay_sinh, gioi_tinh, ma_xa, trang_thai, ngay_mat) values ($1, $2, $3, $4, $5, $6, $7)`,
          row,
        );
      }
      // The same people where the ID lost its leading zero in a numeric column and the birth date is a date.
      await client.query(
        `create view ${schema}.cong_dan_so as
           select so_dinh_danh::bigint as id, "Họ Tên" as ho_ten,
                  case when ngay_sinh ~ '^\\d{4}-\\d{2}-\\d{2}$' then ngay_sinh::date
                       when ngay_sinh ~ '^\\d{2}/\\d{2}/\\d{4}$' then to_date(ngay_sinh, 'DD/MM/YYYY') end as ngay_sinh,
                  trang_thai
           from ${schema}.cong_dan where so_dinh_danh <> '12345'`,
      );
    });
    registry = await tableRegistry(config());
  });

  afterAll(async () => {
    await registry?.close();
    await withClient((client) => client.query(`drop schema if exists ${schema} cascade`));
  });

  it('looks up IDs through the column mapping, cleaning values as a file extract would', async () => {
    // the source names the table and the server, never the credentials
    const server = new URL(TEST_DATABASE_URL);
    expect(registry.source).toBe(`table:${schema}.cong_dan@${server.host}${server.pathname}`);
    const found = await registry.lookupByIds(['001085012345', '079060012346', '001099999999']);
    expect([...found.keys()].sort()).toEqual(['001085012345', '079060012346']);
    expect(found.get('079060012346')).toEqual({
      citizenId: '079060012346',
      fullName: 'Trần Văn Hòa',
      nameKey: 'tran van hoa',
      birthDate: '1960',
      sex: 'male',
      communeCode: '00097',
      status: 'deceased',
      deathDate: '2024-01-02',
    });
  });

  it('gives the same identities as the file connector for the same data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'same.csv');
    const quote = (v: string | null) => (v === null ? '' : `"${v}"`);
    fs.writeFileSync(file, 'citizen_id,full_name,birth_date,sex,commune_code,status,death_date\n' + ROWS.map((r) => r.map(quote).join(',')).join('\n') + '\n');
    const t: TestDatabase = await openTestDatabase('postgres');
    try {
      await loadRegistryFile(t.database, file);
      const fromFile = await (await fileRegistry(t.database, file)).lookupByIds(['001085012345', '079060012346', '048301000001', '001301000002']);
      const fromTable = await registry.lookupByIds(['001085012345', '079060012346', '048301000001', '001301000002']);
      expect(fromTable.size).toBe(4);
      expect(new Map([...fromTable].sort())).toEqual(new Map([...fromFile].sort()));
    } finally {
      await t.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds people by name key and birth date on a text date column, the commune only ranking', async () => {
    const found = await registry.findByIdentity!([
      { key: 'q1', nameKey: 'pham thi lan', birthDate: '2001-07-09', communeCode: '00376' },
      { key: 'q2', nameKey: 'tran van hoa', birthDate: '1960', communeCode: null },
      { key: 'q3', nameKey: 'tran van hoa', birthDate: '1961', communeCode: null },
    ]);
    expect(found.get('q1')!.map((c) => c.citizenId)).toEqual(['048301000001', '001301000002']);
    expect(found.get('q2')!.map((c) => c.citizenId)).toEqual(['079060012346']);
    expect(found.has('q3')).toBe(false);
  });

  it('reads a numeric ID column and a date column (a view)', async () => {
    const view = await tableRegistry(
      config({ table: `${schema}.cong_dan_so`, columns: { citizen_id: 'id', full_name: 'ho_ten', birth_date: 'ngay_sinh', status: 'trang_thai' } }),
    );
    try {
      const found = await view.lookupByIds(['001085012345', '048301000001']);
      expect(found.get('001085012345')).toMatchObject({ citizenId: '001085012345', birthDate: '1985-03-15', fullName: 'Nguyễn Thị Thủy' });
      const candidates = await view.findByIdentity!([{ key: 'q', nameKey: 'pham thi lan', birthDate: '2001-07-09', communeCode: null }]);
      expect(candidates.get('q')!.map((c) => c.citizenId)).toEqual(['001301000002', '048301000001']);
    } finally {
      await view.close();
    }
  });

  it('fails at open on a wrong column name, naming the column and the table', async () => {
    const error = await tableRegistry(config({ columns: { ...MAPPING, citizen_id: 'so_cccd' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(new RegExp(`column "so_cccd" \\(mapped to citizen_id\\) is not in the registry table ${schema}\\.cong_dan`));
    expect((error as Error).message).toContain('so_dinh_danh');
  });

  it('explains a wrong configuration value by value', async () => {
    const error = await tableRegistry({ url: 'mysql://x', table: 'a.b.c', columns: { citizen_id: '', full_name: 'x', birth_date: 'y', status: 'z', nickname: 'n' } as never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as Error).message;
    expect(message).toMatch(/url: must be a postgres:\/\/ or postgresql:\/\/ connection string/);
    expect(message).toMatch(/table: must be "table" or "schema\.table"/);
    expect(message).toMatch(/columns\.citizen_id: the column holding citizen_id must not be empty/);
    expect(message).toMatch(/unknown registry field\(s\) nickname/);
  });

  it('says clearly when the table, the credentials or the server are wrong', async () => {
    await expect(tableRegistry(config({ table: `${schema}.no_such_table` }))).rejects.toThrow(/registry table .*no_such_table does not exist/);
    const badUser = TEST_DATABASE_URL.replace(/\/\/[^@/]*@/, '//no_such_role_vaxsync@');
    await expect(tableRegistry(config({ url: badUser }))).rejects.toThrow(/refused the credentials/);
    await expect(tableRegistry(config({ url: 'postgres://postgres@127.0.0.1:1/test' }))).rejects.toThrow(/cannot reach the registry database 127\.0\.0\.1:1\/test/);
  });

  it('refuses a status column it cannot read instead of calling people not found', async () => {
    await withClient((client) =>
      client.query(`insert into ${schema}.cong_dan (so_dinh_danh, "Họ Tên", ngay_sinh, trang_thai) values ('001090000009', 'Lê Văn Bình', '1990', 'mất tích')`),
    );
    await expect(registry.lookupByIds(['001090000009'])).rejects.toThrow(/column "trang_thai": unknown status "mất tích"/);
  });
});
