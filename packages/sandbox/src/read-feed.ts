import type { FeedItem, LiaisonClient } from '@liaison/client';

/** Reads up to `count` items from an agency's feed within `timeoutMs`, acking each. */
export async function takeFromFeed(
  client: LiaisonClient,
  count: number,
  timeoutMs = 10_000,
): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  if (count <= 0) return items;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      await item.ack();
      items.push(item);
      if (items.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return items;
}
