import type { CachedPlan, PlanCache } from '@liaison/client';
import type { Db } from './db.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS site_plans (
  request TEXT PRIMARY KEY,
  statement TEXT NOT NULL,
  at INTEGER NOT NULL
);
`;

/**
 * The gate's signed plans kept in the station's database, so that a station restarted
 * while its site's link to the hub is down can still seal (docs/station.md, "At an
 * agency site"). A plan names recipients, levels and public encryption keys, signed by
 * the gate and verified again at each use: nothing secret or personal. Each is used for
 * `maxAgeMs` after the gate signed it; at most `maxEntries` requests are kept (the
 * oldest go first).
 */
export class StoredPlanCache implements PlanCache {
  constructor(
    private readonly db: Db,
    private readonly maxAgeMs: number,
    private readonly maxEntries = 256,
  ) {
    db.exec(SCHEMA);
  }

  get(request: string): CachedPlan | undefined {
    const row = this.db.prepare('SELECT statement, at FROM site_plans WHERE request = ?').get(request) as
      | CachedPlan
      | undefined;
    return row && Date.now() - row.at <= this.maxAgeMs ? { statement: row.statement, at: row.at } : undefined;
  }

  set(request: string, plan: CachedPlan): void {
    this.db
      .prepare('INSERT OR REPLACE INTO site_plans (request, statement, at) VALUES (?, ?, ?)')
      .run(request, plan.statement, plan.at);
    this.db
      .prepare(
        'DELETE FROM site_plans WHERE request NOT IN (SELECT request FROM site_plans ORDER BY at DESC LIMIT ?)',
      )
      .run(this.maxEntries);
  }
}
