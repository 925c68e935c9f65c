import { deliveriesBucketOptions, OUTBOX_STORED_AT_HEADER } from '@liaison/topology';
import type { GateSettings } from './config.js';
import { GateError } from './errors.js';

/** How an envelope reached the intake: from a client at the hub, or through an agency site's outbox. */
export type SubmissionRoute = { via: 'hub' } | { via: 'site'; outboxStoredAt: number };

const HUB: SubmissionRoute = { via: 'hub' };

/**
 * The route of an intake message: `site` when its agency is configured as having a site
 * and the site's forwarder marked it (`Liaison-Outbox-Stored-At`). The mark is not an
 * attestation — anything at the site speaks as the agency, which signs the header's
 * creation time anyway — it keeps the longer window to the path that needs it, so a
 * hub-side client of the same agency keeps the short one (docs/decisions/0018).
 */
export function routeOf(
  headers: { get(name: string): string } | undefined,
  agency: string,
  settings: Pick<GateSettings, 'siteAgencies'>,
): SubmissionRoute {
  if (!settings.siteAgencies.includes(agency)) return HUB;
  const mark = headers?.get(OUTBOX_STORED_AT_HEADER) ?? '';
  if (!/^[0-9]{1,15}$/.test(mark)) return HUB;
  return { via: 'site', outboxStoredAt: Number(mark) };
}

/** How old a notice on this route may be when the gate takes it. */
export function maxAgeOf(route: SubmissionRoute, settings: Pick<GateSettings, 'maxAgeMs' | 'siteMaxAgeMs'>) {
  return route.via === 'site' ? Math.max(settings.maxAgeMs, settings.siteMaxAgeMs) : settings.maxAgeMs;
}

/**
 * Freshness, step 6 of the checklist: created within the route's window and not more
 * than the allowed skew ahead. The window is what bounds a replay once the replay guard
 * (the delivery ledger) has forgotten a notice id, and how long a key past the end of
 * its validity can still sign (its validity is checked at the signed creation time).
 */
export function checkFreshness(
  createdAtMs: number,
  now: number,
  route: SubmissionRoute,
  settings: Pick<GateSettings, 'maxAgeMs' | 'siteMaxAgeMs' | 'maxSkewMs'>,
): void {
  if (createdAtMs < now - maxAgeOf(route, settings))
    throw new GateError('STALE', 'the notice is too old to be accepted');
  if (createdAtMs > now + settings.maxSkewMs)
    throw new GateError('FUTURE', 'the notice is dated in the future');
}

/**
 * The rule that makes a window safe, checked when the gate starts: every notice the gate
 * could accept is younger than the ledger's memory of notice ids (its TTL, or the delivery
 * window after which the retention service may delete a record), skew
 * included, so an envelope submitted again within the window always meets its own claim
 * (`RESUBMITTED` or `REPLAYED`), never a forgotten one.
 */
export function checkFreshnessSettings(settings: GateSettings): void {
  // The retention service deletes a ledger record at the end of its class, never before
  // the delivery window ends (decision 0017): the record's shortest life is the lesser.
  const ttl = Math.min(deliveriesBucketOptions(settings).ttl, settings.feedMaxAgeDays * 86_400_000);
  const widest =
    (settings.siteAgencies.length > 0
      ? Math.max(settings.maxAgeMs, settings.siteMaxAgeMs)
      : settings.maxAgeMs) + settings.maxSkewMs;
  if (widest >= ttl)
    throw new GateError(
      'CONFIG_INVALID',
      `the freshness window (${widest} ms with skew) must be shorter than the delivery ledger's shortest memory of a notice (${ttl} ms)`,
    );
}
