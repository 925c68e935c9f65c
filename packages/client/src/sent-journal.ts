import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  conversationFromHeader,
  type HeaderTerms,
  type Sealed,
  type SubmissionReceipt,
} from '@liaison/envelope';
import { privateDir, writePrivate } from '@liaison/identity';
import type { Markings, NoticeKind } from '@liaison/notice';
import { z } from 'zod';

/**
 * What an agency keeps of a notice it sent, for its own case threads (`caseThread`):
 * metadata and markings (the case reference is sealed content, so only the sender and
 * the recipients know it), never the body. Written by the SDK after the gate accepted it.
 */
export interface SentNotice {
  noticeId: string;
  kind: NoticeKind;
  createdAt: string;
  markings: Markings;
  conversation: HeaderTerms;
  headerSha256: string;
  recipients: { recipient: string; level: string }[];
}

/** Where a client keeps its sent notices: in memory (the default) or a directory (the CLI's). */
export interface SentJournal {
  record(n: SentNotice): void | Promise<void>;
  list(): SentNotice[] | Promise<SentNotice[]>;
}

/** The sent record of an accepted submission. */
export function sentNoticeOf(sealed: Sealed, receipt: SubmissionReceipt): SentNotice {
  return {
    noticeId: sealed.noticeId,
    kind: sealed.notice.kind,
    createdAt: new Date(Number(sealed.header.createdAtMs)).toISOString(),
    markings: sealed.notice.markings,
    conversation: conversationFromHeader(sealed.header) ?? {},
    headerSha256: receipt.headerSha256 ?? '',
    recipients: receipt.recipients.map((r) => ({ recipient: r.recipient, level: r.level })),
  };
}

/** The last `max` sent notices of this process (a long-running client forgets older ones). */
export class MemorySentJournal implements SentJournal {
  private readonly items: SentNotice[] = [];
  constructor(private readonly max = 10_000) {}
  record(n: SentNotice): void {
    this.items.push(n);
    if (this.items.length > this.max) this.items.shift();
  }
  list(): SentNotice[] {
    return [...this.items];
  }
}

const SentNoticeSchema = z
  .object({
    noticeId: z.string(),
    kind: z.string(),
    createdAt: z.string(),
    markings: z.record(z.string(), z.unknown()),
    conversation: z.record(z.string(), z.unknown()),
    headerSha256: z.string(),
    recipients: z.array(z.object({ recipient: z.string(), level: z.string() })),
  })
  .strict();

/** One 0600 JSON file per sent notice in a 0700 directory (`<home>/sent/<agency>/`, the CLI's). */
export class FileSentJournal implements SentJournal {
  constructor(private readonly dir: string) {}
  record(n: SentNotice): void {
    privateDir(this.dir);
    writePrivate(join(this.dir, `${n.noticeId}.json`), `${JSON.stringify(n, null, 2)}\n`);
  }
  list(): SentNotice[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: SentNotice[] = [];
    for (const f of names) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(join(this.dir, f), 'utf8'));
      } catch {
        continue; // not one of ours, or cut short: not part of any thread
      }
      const parsed = SentNoticeSchema.safeParse(json);
      if (parsed.success) out.push(parsed.data as unknown as SentNotice);
    }
    return out;
  }
}
