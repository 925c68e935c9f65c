import {
  auditHistory,
  auditStats,
  type HistoryRow,
  type LogSource,
  logKeyOf,
  type NoticeProof,
  openAuditorRegistry,
  proveNotice,
  type RecordedStationCheckpoint,
  type StatsReport,
  stationCheckpoints,
  type VerifyReport,
  verifyLog,
} from '@liaison/audit-log';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * What the auditor's console asks of the exchange's audit log: the library's auditor
 * operations (`@liaison/audit-log`), over the auditor's own connection. The console only
 * parses, calls and presents; tests give it the real thing against a sandbox.
 */
export interface AuditorBackend {
  /** Who is auditing (an identity with the `auditor` role in the registry). */
  readonly auditor: string;
  verify(onProgress: (done: number, total: number) => void): Promise<VerifyReport>;
  history(q: { notice?: string; agency?: string }): Promise<HistoryRow[]>;
  prove(noticeId: string): Promise<NoticeProof>;
  stats(q: { from?: Date; to?: Date }): Promise<StatsReport>;
  stationCheckpoints(agency?: string): Promise<RecordedStationCheckpoint[]>;
}

/**
 * The backend over an auditor's NATS connection: the registry read (and the auditor
 * role checked, NOT_AN_AUDITOR otherwise) afresh for each verification, so that a
 * long-running console re-derives decisions under the policy as it now stands.
 */
export function auditorBackend(o: {
  nc: NatsConnection;
  auditor: string;
  anchors: readonly string[];
  /** How the logs are read: the log reader (an auditor in its own account, decision 0014) or JetStream directly. */
  source?: LogSource;
}): AuditorBackend {
  const src = o.source ? { source: o.source } : {};
  const log = o.source ?? o.nc;
  const registry = () => openAuditorRegistry(o.nc, { auditor: o.auditor, anchors: o.anchors, ...src });
  return {
    auditor: o.auditor,
    async verify(onProgress) {
      const store = await registry();
      return verifyLog({
        nc: o.nc,
        ...src,
        registry: store.registry,
        policyRejected: store.rejected,
        logKey: logKeyOf(store.registry.current),
        onProgress,
        workers: 'auto',
      });
    },
    history: (q) => auditHistory(log, q),
    async prove(noticeId) {
      const store = await registry();
      return proveNotice(o.nc, { noticeId, logKey: logKeyOf(store.registry.current), ...src });
    },
    stats: (q) => auditStats(log, q),
    stationCheckpoints: (agency) => stationCheckpoints(log, agency ? { agency } : {}),
  };
}
