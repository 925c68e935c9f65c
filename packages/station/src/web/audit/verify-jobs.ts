import { randomBytes } from 'node:crypto';
import type { VerifyReport } from '@liaison/audit-log';

export interface VerifyJob {
  id: string;
  owner: string;
  startedAt: number;
  done: number;
  total: number;
  finishedAt?: number;
  report?: VerifyReport;
  /** A stable code when the verification could not run (NOT_AN_AUDITOR, LOG_MISSING, …). */
  error?: string;
}

const KEEP = 20;

/**
 * Verifications running in the background: a long `audit verify` never holds a
 * request open (the log is read over NATS and checked in chunks, worker threads on a
 * large log), and the page that shows it polls its progress. One job at a time per
 * console: a second request while one runs is shown the running one. Job ids are
 * random and bound to the session that started them.
 */
export class VerifyJobs {
  private readonly jobs = new Map<string, VerifyJob>();

  constructor(
    private readonly run: (onProgress: (done: number, total: number) => void) => Promise<VerifyReport>,
  ) {}

  start(owner: string): VerifyJob {
    const running = [...this.jobs.values()].find((j) => j.owner === owner && j.finishedAt === undefined);
    if (running) return running;
    const job: VerifyJob = {
      id: randomBytes(16).toString('hex'),
      owner,
      startedAt: Date.now(),
      done: 0,
      total: 0,
    };
    this.jobs.set(job.id, job);
    for (const old of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEEP)))
      this.jobs.delete(old);
    void this.run((done, total) => {
      job.done = done;
      job.total = total;
    }).then(
      (report) => {
        job.report = report;
        job.done = job.total = report.entries;
        job.finishedAt = Date.now();
      },
      (err: unknown) => {
        job.error = (err as { code?: string }).code ?? 'VERIFY_FAILED';
        job.finishedAt = Date.now();
      },
    );
    return job;
  }

  get(id: string, owner: string): VerifyJob | undefined {
    const j = this.jobs.get(id);
    return j && j.owner === owner ? j : undefined;
  }
}
