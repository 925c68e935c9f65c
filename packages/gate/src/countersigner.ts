import {
  type AgencyKeys,
  type CountersignedGroup,
  countersignGroups,
  type GrantInput,
} from '@liaison/envelope';
import type { Envelope } from '@liaison/wire';

type Group = readonly { envelope: Envelope; grant: GrantInput }[];

interface Waiting {
  group: Group;
  resolve: (signed: CountersignedGroup) => void;
  reject: (err: unknown) => void;
}

/**
 * Countersigns, under one signature, the deliveries of every submission that
 * reaches it in the same turn of the event loop (the gate handles up to its
 * concurrency at once), or of `maxGroups` of them. Nothing waits for a batch to
 * fill: a lone submission is signed on the next turn. One signature for many
 * submissions is one signing for the gate and one verification for an auditor.
 */
export class Countersigner {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly keys: AgencyKeys,
    private readonly maxGroups = 64,
  ) {}

  sign(group: Group): Promise<CountersignedGroup> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ group, resolve, reject });
      if (this.waiting.length >= this.maxGroups) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    let signed: CountersignedGroup[];
    try {
      signed = countersignGroups(
        batch.map((w) => w.group),
        this.keys,
        Date.now(),
      );
    } catch {
      // One bad group must not fail the others with it: sign each on its own.
      for (const w of batch) {
        try {
          w.resolve(countersignGroups([w.group], this.keys, Date.now())[0]!);
        } catch (err) {
          w.reject(err);
        }
      }
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(signed[i]!);
  }
}
