// The auditor need not trust the log reader (decision 0014): records are chained, the
// tree's roots are signed by the log's key in checkpoints, and the writer's latest
// checkpoint is asked of the writer itself, not of the reader. A reader that leaves a
// record out, alters one, or leaves out the log's end (with the checkpoints over it) is
// caught by `verifyLog`; an honest one passes.
import { latestCheckpoint, logKeyOf } from '@liaison/audit-log';
import { exampleNotices } from '@liaison/fixtures';
import { type LogSource, remoteLog, type StoredMessage } from '@liaison/log-reader';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let honest: LogSource;
let latest: string;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const bmi = await sandbox.client('at-bmi');
  // Several blocks: each notice handled and appended before the next.
  for (let i = 0; i < 6; i++) {
    await bmi.publish(exampleNotices().threatNotice, { recipients: ['ca-cbsa'] });
    await sandbox.auditSettled();
    await new Promise((r) => setTimeout(r, 150));
  }
  await sandbox.auditLog!.checkpoint();
  const auditor = await sandbox.connection('eu-auditor');
  honest = remoteLog(auditor);
  await sandbox.store.refresh();
  latest = (await latestCheckpoint(auditor, { logKey: logKeyOf(sandbox.store.registry.current) })).note;
});
afterAll(async () => {
  await sandbox?.dispose();
});

/** A reader that rewrites what it serves of one stream. */
function lying(stream: string, rewrite: (all: StoredMessage[]) => StoredMessage[]): LogSource {
  return {
    streamState: (s) => honest.streamState(s),
    async *messages(s, fromSeq) {
      const all: StoredMessage[] = [];
      for await (const m of honest.messages(s, fromSeq)) all.push(m);
      yield* s === stream ? rewrite(all) : all;
    },
  };
}

const codes = async (source: LogSource, withLatest = true) =>
  (
    await sandbox.verifyAudit({ as: 'eu-auditor', source, ...(withLatest ? { latest } : {}) })
  ).discrepancies.map((d) => d.code);

describe('an auditor reading through an untrusted log reader', () => {
  it('passes an honest reader', async () => {
    expect(await codes(honest)).toEqual([]);
  });

  it('catches a record left out', async () => {
    const found = await codes(lying(STREAMS.audit, (all) => all.filter((_, i) => i !== 2)));
    expect(found).toContain('RECORD_OUT_OF_PLACE');
  });

  it('catches a record altered', async () => {
    const found = await codes(
      lying(STREAMS.audit, (all) =>
        all.map((m, i) => {
          if (i !== 3) return m;
          const data = new Uint8Array(m.data);
          data[data.length - 40]! ^= 1;
          return { ...m, data };
        }),
      ),
    );
    expect(found.length).toBeGreaterThan(0);
  });

  it('catches the log’s end left out with its checkpoints, given the writer’s latest checkpoint', async () => {
    const truncated: LogSource = {
      streamState: (s) => honest.streamState(s),
      async *messages(s, fromSeq) {
        if (s === STREAMS.auditCheckpoints) return;
        let n = 0;
        for await (const m of honest.messages(s, fromSeq)) {
          if (s === STREAMS.audit && n++ >= 2) return;
          yield m;
        }
      },
    };
    expect(await codes(truncated)).toContain('LOG_TRUNCATED');
    // Without it, a consistent prefix is indistinguishable from a shorter log: why
    // `liaison audit verify` asks the writer first (and `--since-checkpoint` exists).
    expect(await codes(truncated, false)).toEqual([]);
  });
});
