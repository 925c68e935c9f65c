import type { FeedItem, LiaisonClient } from '@liaison/client';

/** Reads `count` items from an agency's feed (or fails after `timeoutMs`), acking each. */
export async function readFeed(
  client: LiaisonClient,
  count: number,
  timeoutMs = 10_000,
  ack = true,
): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  if (count === 0) return items;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      items.push(item);
      if (ack) await item.ack();
      if (items.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return items;
}

/** Reads (and acks) an agency's feed until an item matches, or fails after `timeoutMs`. */
export async function readUntil(
  client: LiaisonClient,
  match: (i: FeedItem) => boolean,
  timeoutMs = 10_000,
): Promise<FeedItem> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      await item.ack();
      if (match(item)) return item;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  throw new Error('no matching item in the feed');
}

/** Runs the `liaison` CLI in-process against a sandbox, capturing what it prints. */
export function cliRunner(sandbox: { url: string; home: string }, main: (argv: string[]) => Promise<number>) {
  return async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const { vi } = await import('vitest');
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
    try {
      const code = await main([...args, '--server', sandbox.url, '--home', sandbox.home]);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
}
