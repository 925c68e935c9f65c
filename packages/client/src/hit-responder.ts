import { readFileSync } from 'node:fs';
import { createLogger, type Logger, toIssues } from '@liaison/core';
import type { OpenedNotice } from '@liaison/envelope';
import { type HitIdentifier, HitIdentifierSchema, type HitResultName, matchesProbe } from '@liaison/notice';
import { z } from 'zod';
import { ClientError } from './errors.js';
import type { FeedItem } from './types.js';

/** One of the agency's own records a responder tests queries against: the identifier and its opaque reference. */
export const HitRecordSchema = z
  .object({
    /** What the hit-answer carries: an opaque token the holder resolves, never the identifier. */
    reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{3,63}$/),
    identifier: HitIdentifierSchema,
  })
  .strict();
export type HitRecord = z.infer<typeof HitRecordSchema>;

const RecordsFileSchema = z.object({ records: z.array(HitRecordSchema).max(1_000_000) }).strict();

/** Reads a responder's records file (`{"records": [{reference, identifier}]}`): RECORDS_INVALID if it is not one. */
export function loadHitRecords(path: string): HitRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ClientError('RECORDS_INVALID', 'the records file cannot be read as JSON', { cause });
  }
  const parsed = RecordsFileSchema.safeParse(json);
  if (!parsed.success)
    throw new ClientError('RECORDS_INVALID', 'the records file does not match its schema', {
      issues: toIssues(parsed.error.issues),
    });
  return parsed.data.records;
}

/** What the responder needs of a client: its hit-query feed and the answer operation. */
export interface ResponderClient {
  readonly agency: string;
  feed(options: { kind: 'hit-query'; signal?: AbortSignal }): AsyncIterable<FeedItem>;
  readonly hits: { answer(query: OpenedNotice, result: HitResultName, reference?: string): Promise<unknown> };
}

/** The result for one query against records (pure: the test of the construction). */
export function testQuery(
  body: Record<string, unknown>,
  records: readonly HitRecord[],
): { result: HitResultName; reference?: string } | undefined {
  const probe = body.probe as { salt: string; digest: string } | undefined;
  const type = body.identifierType as HitIdentifier['type'] | undefined;
  // Given only the strategic layer there is nothing to test, and no answer to give.
  if (!probe || !type) return undefined;
  const match = records.find((r) => r.identifier.type === type && matchesProbe(probe, r.identifier));
  return match ? { result: 'hit', reference: match.reference } : { result: 'no-hit' };
}

/**
 * The reference responder: an agency runs it over its own records (a local file) to
 * answer hit queries automatically (Prüm step 1). For every hit-query delivered to the
 * agency (its own durable, `feed-<agency>-hit-query`) it hashes each record of the
 * query's identifier type under the query's salt, answers hit (with the record's
 * reference) or no-hit, and acknowledges the query. It logs notice ids and results
 * only, never an identifier or a probe.
 */
export class HitResponder {
  private readonly logger: Logger;

  constructor(
    private readonly client: ResponderClient,
    private readonly records: readonly HitRecord[],
    options: { logger?: Logger } = {},
  ) {
    this.logger = options.logger ?? createLogger('hit-responder', { level: 'warn' });
  }

  /** Answers queries until the signal aborts; `onAnswer` sees each (tests, the demo). */
  async run(
    options: {
      signal?: AbortSignal;
      onAnswer?: (a: { query: string; from: string; result: HitResultName }) => void;
    } = {},
  ): Promise<void> {
    const feed = this.client.feed({
      kind: 'hit-query',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for await (const item of feed) {
      const query = item.notice.noticeId;
      const from = item.notice.sender;
      const outcome = testQuery(item.notice.body, this.records);
      try {
        if (outcome) await this.client.hits.answer(item.notice, outcome.result, outcome.reference);
      } catch (err) {
        const code = (err as { code?: string }).code;
        this.logger.warn({ query, code }, 'hit query not answered');
        // A refusal by the gate is final (acknowledged); anything else comes back (JetStream redelivers).
        if (code === 'REJECTED') await item.ack();
        continue;
      }
      await item.ack();
      if (!outcome) {
        this.logger.info({ query, from }, 'hit query without a probe for this agency: not answered');
        continue;
      }
      this.logger.info({ query, from, result: outcome.result }, 'hit query answered');
      options.onAnswer?.({ query, from, result: outcome.result });
      if (options.signal?.aborted) return;
    }
  }
}
