import type { NatsConnection } from '@nats-io/transport-node';
import { askGate } from './ask-gate.js';
import { ClientError } from './errors.js';

/** The gate's answer: the checkpoint is in the audit log's inbox. */
export interface CheckpointRecorded {
  recorded: true;
  size: number;
  root: string;
}

/**
 * Hands the gate a signed checkpoint of this agency's station log (a C2SP signed note
 * with origin `liaison-station/<agency>`), which it checks and records in the audit
 * log. Idempotent: the same checkpoint twice is one entry, so it is asked again while
 * no gate answers. A refusal is CHECKPOINT_REFUSED with the gate's code in `issues`.
 */
export async function submitCheckpoint(
  nc: NatsConnection,
  subject: string,
  note: string,
): Promise<CheckpointRecorded> {
  const text = await askGate(nc, subject, new TextEncoder().encode(JSON.stringify({ note })));
  let answer: { recorded?: boolean; size?: number; root?: string; error?: { code?: string } };
  try {
    answer = JSON.parse(text);
  } catch (cause) {
    throw new ClientError('CHECKPOINT_REFUSED', 'the gate did not answer the checkpoint', { cause });
  }
  if (answer.recorded !== true || typeof answer.size !== 'number' || typeof answer.root !== 'string') {
    const code = answer.error?.code ?? 'BAD_ANSWER';
    throw new ClientError('CHECKPOINT_REFUSED', `the gate did not record the checkpoint: ${code}`, {
      issues: [{ code, path: [], message: '' }],
    });
  }
  return { recorded: true, size: answer.size, root: answer.root };
}
