import type { KeyResolver, PublicKeyRecord } from '@liaison/envelope';
import type { NatsConnection } from '@nats-io/transport-node';
import { askGate } from './ask-gate.js';
import { verifyDirectoryAnswer } from './gate-statements.js';

/**
 * The public key directory as the gate signs it: every agency's keys with
 * validity and revocation, and the agencies' functional contacts. Refreshed when a
 * key id is not known yet.
 */
export class Directory {
  private keys = new Map<string, PublicKeyRecord>();
  private contactList: string[] | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subject: string,
    private readonly gateKeys: readonly PublicKeyRecord[],
  ) {
    for (const k of gateKeys) this.keys.set(`${k.agency}/${k.kid}`, k);
  }

  async refresh(): Promise<void> {
    const text = await askGate(this.nc, this.subject, new Uint8Array(0));
    const { keys, contacts } = await verifyDirectoryAnswer(text, this.gateKeys);
    this.contactList = Object.values(contacts).flat();
    const next = new Map<string, PublicKeyRecord>();
    for (const k of keys) next.set(`${k.agency}/${k.kid}`, k);
    for (const k of this.gateKeys) next.set(`${k.agency}/${k.kid}`, k);
    this.keys = next;
  }

  /** Makes sure a key is known (refreshing once if not). */
  async ensure(agency: string, kid: string): Promise<void> {
    if (!this.keys.has(`${agency}/${kid}`)) await this.refresh();
  }

  /** Every agency's functional contacts, as the gate signed them (fetched once if not yet). */
  async contacts(): Promise<readonly string[]> {
    if (!this.contactList) await this.refresh();
    return this.contactList ?? [];
  }

  get resolver(): KeyResolver {
    return (agency, kid) => this.keys.get(`${agency}/${kid}`);
  }
}
