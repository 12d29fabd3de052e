import Database from 'better-sqlite3';
import { outboxFile } from '../../../shared-kernel/integration/outbox/outbox-database';

/**
 * Redeliveries the outbox absorbed: each ignored insert of an already stored ce_id still uses
 * up an AUTOINCREMENT seq, so (last seq handed out - rows) counts them with one writer.
 */
export function outboxRedeliveries(dataDir: string): { rows: number; redelivered: number } {
  const db = new Database(outboxFile({ dataDir }), { readonly: true, fileMustExist: true });
  try {
    const rows = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    const last = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as
      { seq: number } | undefined;
    return { rows, redelivered: (last?.seq ?? 0) - rows };
  } finally {
    db.close();
  }
}
