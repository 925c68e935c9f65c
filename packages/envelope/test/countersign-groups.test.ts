import { exampleNotices } from '@liaison/fixtures';
import { leafHash, MerkleTree, verifySubtreeInclusion } from '@liaison/merkle';
import { fromBinary, GrantBatchSchema } from '@liaison/wire';
import { describe, expect, it } from 'vitest';
import { countersignGroups, open, PADDING_LEAF, restrictTo, seal, verifyHeader } from '../src/index.js';
import { makeWorld, NOW, recipientsFor } from './world.js';

const agencies = ['at-bmi', 'de-bka', 'fi-raja', 'nl-piu', 'ru-mvd', 'eu-europol'];
const world = await makeWorld(agencies);

/** One submission's deliveries, as the gate prepares them (restricted, with grant inputs). */
async function submission(recipients: string[]) {
  const sealed = await seal({
    notice: exampleNotices(NOW).borderAlert,
    sender: world.keys['at-bmi']!,
    recipients: recipientsFor(world, Object.fromEntries(recipients.map((r) => [r, 'operational' as const]))),
    createdAt: NOW,
  });
  const verified = verifyHeader(sealed.bytes, world.resolve, { now: NOW.getTime() });
  return recipients.map((recipient) => {
    const restricted = restrictTo(verified, recipient, ['strategic', 'operational']);
    return {
      envelope: restricted.envelope,
      grant: {
        recipient,
        level: 'operational' as const,
        layers: restricted.layers,
        policyRevision: 3n,
        grantedAt: NOW.getTime(),
      },
    };
  });
}

describe('countersigning several submissions under one signature', () => {
  it('puts each submission in an aligned block that one subtree proof covers; every delivery opens', async () => {
    const groups = [
      await submission(['de-bka', 'fi-raja', 'nl-piu', 'ru-mvd', 'eu-europol']),
      await submission(['de-bka']),
      await submission(['fi-raja', 'nl-piu', 'ru-mvd']),
    ];
    const signed = countersignGroups(groups, world.gate, NOW.getTime());
    const batch = signed[0]!.deliveries[0]!.batch;
    const signature = signed[0]!.deliveries[0]!.signature;
    // Widest first: the five grants at 0 (block of 8), the three at 8 (block of 4), the one at 12.
    expect(signed.map((g) => [g.block.offset, g.block.level])).toEqual([
      [0, 3],
      [12, 0],
      [8, 2],
    ]);
    for (const [g, group] of signed.entries()) {
      for (const d of group.deliveries) {
        expect(d.batch).toEqual(batch);
        expect(d.signature).toEqual(signature);
      }
      // The auditor's check: the block root from the grants (padded) is a node of the batch.
      const block = new MerkleTree();
      const width = 2 ** group.block.level;
      for (let i = 0; i < width; i++) {
        const grant = group.deliveries[i]?.grant;
        block.append(grant ? leafHash(grant) : PADDING_LEAF);
      }
      const { size, root } = batchOf(group.deliveries[0]!.batch);
      expect(size).toBe(13);
      expect(
        verifySubtreeInclusion(
          group.block.offset,
          group.block.level,
          size,
          block.root(),
          group.block.path,
          root,
        ),
      ).toBe(true);
      // A block without one of its grants is not.
      if (group.deliveries.length > 1) {
        const short = new MerkleTree();
        for (let i = 0; i < width; i++) short.append(i === 0 ? PADDING_LEAF : block.leaf(i));
        expect(
          verifySubtreeInclusion(
            group.block.offset,
            group.block.level,
            size,
            short.root(),
            group.block.path,
            root,
          ),
        ).toBe(false);
      }
      for (const [i, d] of group.deliveries.entries()) {
        const recipient = groups[g]![i]!.grant.recipient;
        const opened = await open(d.bytes, {
          recipient: world.keys[recipient]!,
          resolveKey: world.resolve,
          resolveGateKey: world.resolve,
          now: NOW.getTime(),
        });
        expect(opened.level).toBe('operational');
        expect(opened.grant.recipient).toBe(recipient);
      }
    }
  });
});

/** The signed batch's size and root. */
function batchOf(bytes: Uint8Array): { size: number; root: Uint8Array } {
  const b = fromBinary(GrantBatchSchema, bytes);
  return { size: Number(b.size), root: b.root };
}
