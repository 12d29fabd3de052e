import { sqliteConnection, type SQLiteConnection } from '@event-driven-io/emmett-sqlite';

/**
 * A connection made exactly as Emmett's pool makes one for each operation on a file (its
 * `sqliteConnection`), for the benchmark's own setup and checks around the timed work.
 */
export async function withConnection<T>(
  fileName: string,
  work: (connection: SQLiteConnection) => Promise<T>,
): Promise<T> {
  const connection = sqliteConnection({ fileName });
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

/** The first column of the first row of `sql`, as text. */
export function scalar(fileName: string, sql: string): Promise<string> {
  return withConnection(fileName, async (connection) => {
    const row = await connection.querySingle<Record<string, unknown>>(sql);
    return String(Object.values(row ?? {})[0]);
  });
}
