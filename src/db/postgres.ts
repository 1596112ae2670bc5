/** The PostgreSQL backend, through a `pg` pool: for a server, and what the tests run against. */
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { CopyWriter, Database } from './backend.js';
import type { Schema } from './schema.js';
import { assertIdentifier, copyStatement } from './sql-names.js';

/** The connection string with its password masked, safe to print. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/**
 * `settings`: server settings for every connection of the pool, given when each connects (values without
 * spaces); one the server does not know fails the connection.
 */
export async function openPostgres(url: string, schema: string | undefined, settings: Readonly<Record<string, string>> = {}): Promise<Database> {
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${assertIdentifier(schema)}`);
    } finally {
      await client.end();
    }
  }
  const options = Object.entries({ ...(schema ? { search_path: assertIdentifier(schema) } : {}), ...settings }).map(([name, value]) => `-c ${name}=${value}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...(options.length > 0 ? { options: options.join(' ') } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    description: redactUrl(url) + (schema ? ` (schema ${schema})` : ''),
    connection: schema ? { url, schema } : { url },
    copyIn: (table, columns) => pgCopyWriter(pool, table, columns),
    async copyOutCsv(select, output) {
      const client = await pool.connect();
      try {
        await pipeline(client.query(copyTo(`copy (${select}) to stdout with (format csv, header)`)), output, { end: false });
      } finally {
        client.release();
      }
    },
    async withTransaction(fn) {
      const client = await pool.connect();
      // One statement at a time on the connection, in the order asked (pg would queue them too, but that is
      // deprecated): overlapped COPY writers (ChunkedCopy's overlap) call before the previous one is done.
      // COMMIT and ROLLBACK take their turn too, so no statement still queued runs after them, outside the
      // transaction.
      let last: Promise<unknown> = Promise.resolve();
      const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
        const turn = last.then(run, run);
        last = turn.catch(() => {});
        return turn;
      };
      let broken: unknown;
      try {
        await client.query('begin');
        const result = await fn({
          query: (text, params = []) => inTurn(async () => (await client.query(text, [...params])).rows),
          copy: (table, columns, data, sent) =>
            inTurn(async () => {
              if (data.length === 0) return sent?.();
              const format = typeof data === 'string' ? 'text' : 'binary';
              const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin', format)));
              // The write's callback runs once the server has answered the COPY and the data is handed to
              // the socket; the stream finishes once the server has stored the rows.
              stream.write(data, () => sent?.());
              stream.end();
              await finished(stream);
            }),
          copyOut: (select, each) =>
            inTurn(async () => {
              const stream = client.query(copyTo(`copy (${select}) to stdout with (format binary)`));
              // Read to its end whatever `each` does: a COPY left half read would hold the connection, and the
              // rollback queued behind it would never run.
              let failed: { error: unknown } | null = null;
              for await (const chunk of stream as AsyncIterable<Buffer>) {
                if (failed !== null) continue;
                try {
                  await each(chunk);
                } catch (error) {
                  failed = { error };
                }
              }
              if (failed !== null) throw failed.error;
            }),
        });
        await inTurn(() => client.query('commit'));
        return result;
      } catch (error) {
        // A connection whose rollback failed may still be in the transaction: it is destroyed, not pooled.
        await inTurn(() => client.query('rollback')).catch((failed: unknown) => (broken = failed));
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
      }
    },
    async withSessionLock(name, fn) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a dropped connection must not crash the process. Its lock
      // is gone with it; the work under way still finishes on the pool's other connections.
      let broken: Error | undefined;
      const onError = (error: Error) => (broken ??= error);
      client.on('error', onError);
      const key = [name];
      try {
        const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${SESSION_LOCK_KEY}) as ok`, key);
        if (!rows[0]!.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          if (!broken) await client.query(`select pg_advisory_unlock(${SESSION_LOCK_KEY})`, key).catch(onError);
        }
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async heldSessionLocks(names) {
      if (names.length === 0) return new Set();
      // pg_locks shows oids; hashtext's int4 casts to the same oid bits.
      const { rows } = await pool.query<{ name: string }>(
        `select n.name from unnest($1::text[]) as n(name)
         where exists (select 1 from pg_locks l
                       where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                         and l.database = (select oid from pg_database where datname = current_database())
                         and l.classid = hashtext('vaxsync')::oid and l.objid = hashtext(current_schema() || ':' || n.name)::oid)`,
        [[...names]],
      );
      return new Set(rows.map((r) => r.name));
    },
    close: () => db.destroy(),
  };
}

/** The two-integer advisory key (keep in step with heldSessionLocks) of a session lock: this application, then the lock's name in the current schema. */
const SESSION_LOCK_KEY = `hashtext('vaxsync'), hashtext(current_schema() || ':' || $1)`;

async function pgCopyWriter(pool: pg.Pool, table: string, columns: readonly string[]): Promise<CopyWriter> {
  const client = await pool.connect();
  const stream = client.query(
    copyFrom(copyStatement(table, columns, 'stdin')),
  );
  let failure: Error | null = null;
  stream.on('error', (error: Error) => (failure ??= error));
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      stream.end();
      try {
        await once(stream, 'finish');
      } catch (error) {
        release(error as Error);
        throw error;
      }
      release();
    },
    async abort() {
      if (released) return;
      const aborted = new Error('COPY abandoned');
      stream.destroy(aborted);
      // A connection whose COPY was cut off is not reused.
      release(aborted);
    },
  };
}
