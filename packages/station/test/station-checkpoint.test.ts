// The station's access log checkpointed into the exchange's audit log (issue 18): the
// station hands its signed checkpoint to the gate, the gate checks it against the
// agency's registered key and records it (STATION_CHECKPOINT), the auditor's replay
// verifies it with the rest of the log, and a station log rewritten afterwards — even
// with every entry and its own checkpoint re-signed by the agency's key — is caught
// against the recorded checkpoints.
import { sign } from 'node:crypto';
import { checkStationLog, signCheckpoint, stationCheckpoints } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { Sandbox } from '@liaison/sandbox';
import { AccessLog, openDb, Station } from '@liaison/station';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_COST, withOfficers } from './helpers.js';

let sandbox: Sandbox;
const db = openDb(':memory:');
let station: Station;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  station = await Station.open({
    db,
    keys: sandbox.keys.get('de-bka')!,
    client: await sandbox.client('de-bka'),
    logger: createLogger('station-de-bka', { level: 'silent' }),
    passwordCost: TEST_COST,
  });
});
afterAll(async () => {
  await sandbox?.dispose();
});

describe('station checkpoints in the audit log', () => {
  it('are recorded by the gate, verified by the auditor, and catch a rewritten station log', async () => {
    const { officer, dpo } = await withOfficers(station);
    for (const kind of ['border-alert', 'threat-notice', 'passenger-data-hit'] as const)
      station.search(officer, { kind }, { purpose: 'case-work' });
    const first = await station.checkpoints!.submit();
    expect(first).toMatchObject({ size: 3 });
    // Nothing new, nothing handed in.
    expect(await station.checkpoints!.submit()).toBeUndefined();
    station.search(dpo, { priority: 'urgent' }, { purpose: 'data-protection-review' });
    expect(await station.checkpoints!.submit()).toMatchObject({ size: 4 });
    expect(station.checkpoints!.recorded()).toMatchObject({ size: 4 });

    // Another agency cannot hand in de-bka's checkpoint, nor one of its own log under de-bka's name.
    const fi = await sandbox.client('fi-raja');
    await expect(fi.submitStationCheckpoint(station.log.signedCheckpoint())).rejects.toMatchObject({
      code: 'CHECKPOINT_REFUSED',
      issues: [{ code: 'BAD_CHECKPOINT' }],
    });
    const de = await sandbox.client('de-bka');
    await expect(de.submitStationCheckpoint('liaison-station/de-bka\n4\nnot a note')).rejects.toMatchObject({
      code: 'CHECKPOINT_REFUSED',
    });

    await sandbox.auditSettled();
    const recorded = await stationCheckpoints(sandbox.admin, { agency: 'de-bka' });
    expect(recorded.map((r) => r.size)).toEqual([3, 4]);
    expect(recorded[1]!.root).toBe(Buffer.from(station.log.view().root).toString('hex'));
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
    expect(checkStationLog(recorded, station.log.view())).toEqual([]);

    // The station's operator holds the agency's key: it rewrites entry 1 (the purpose),
    // re-signs it and the log's own checkpoint. The station's local checks pass...
    const keys = sandbox.keys.get('de-bka')!;
    db.exec('DROP TRIGGER access_log_no_update');
    const row = db.prepare('SELECT entry FROM access_log WHERE seq = 1').get() as { entry: string };
    const forged = row.entry.replace('"case-work"', '"routine-review"');
    expect(forged).not.toBe(row.entry);
    const signature = sign(
      null,
      new TextEncoder().encode(`liaison-station-access-v1\n${forged}`),
      keys.signing.privateKey,
    ).toString('base64url');
    db.prepare('UPDATE access_log SET entry = ?, signature = ? WHERE seq = 1').run(forged, signature);
    const rebuilt = AccessLog.open(
      // A first open fails against the old checkpoint; the operator re-signs it too.
      reSigned(),
      keys,
    );
    expect(rebuilt.verify().problems).toEqual([]);
    // ...but not the auditor's check against what the exchange recorded.
    const found = checkStationLog(recorded, rebuilt.view());
    expect(found.map((d) => d.code)).toEqual(['STATION_LOG_REWRITTEN', 'STATION_LOG_REWRITTEN']);
    expect(found.map((d) => d.index)).toEqual(recorded.map((r) => r.index));

    // A log cut back below a recorded size is caught too.
    db.exec('DROP TRIGGER access_log_no_delete');
    db.prepare('DELETE FROM access_log WHERE seq >= 3').run();
    const cut = AccessLog.open(reSigned(), keys);
    expect(checkStationLog(recorded, cut.view()).map((d) => d.code)).toEqual([
      'STATION_LOG_REWRITTEN',
      'STATION_LOG_SHRANK',
    ]);

    function reSigned() {
      expect(() => AccessLog.open(db, keys)).toThrow(expect.objectContaining({ code: 'LOG_TAMPERED' }));
      const tmp = AccessLog.open(withoutCheckpoint(), keys);
      const view = tmp.view();
      const note = signCheckpoint(
        { origin: 'liaison-station/de-bka', size: view.size, root: view.root },
        { name: keys.signing.record.kid, publicRaw: keys.signing.publicRaw },
        keys.signing.privateKey,
      );
      db.prepare("INSERT OR REPLACE INTO station_meta (key, value) VALUES ('accesslog.checkpoint', ?)").run(
        note,
      );
      return db;
    }
    function withoutCheckpoint() {
      db.prepare("DELETE FROM station_meta WHERE key = 'accesslog.checkpoint'").run();
      return db;
    }
  });
});
