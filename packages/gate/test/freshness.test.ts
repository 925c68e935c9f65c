// The gate's freshness rule (docs/decisions/0018): the hub window for clients at the hub,
// the site window for envelopes a configured site's forwarder handed over, and the rule
// that keeps every window inside the delivery ledger's memory of notice ids.
import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type GateSettings } from '../src/config.js';
import { checkFreshness, checkFreshnessSettings, routeOf } from '../src/freshness.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 11, 3, 12);
const settings: GateSettings = { ...DEFAULT_SETTINGS, siteAgencies: ['de-bka'] };
const marked = (value: string) => {
  const h = headers();
  h.set('Liaison-Outbox-Stored-At', value);
  return h;
};
const code = (f: () => void) => {
  try {
    f();
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('the route of an intake message', () => {
  it('is the site only for a configured site agency whose forwarder marked it', () => {
    expect(routeOf(marked(String(now)), 'de-bka', settings)).toEqual({ via: 'site', outboxStoredAt: now });
    expect(routeOf(marked(String(now)), 'at-bmi', settings)).toEqual({ via: 'hub' });
    expect(routeOf(undefined, 'de-bka', settings)).toEqual({ via: 'hub' });
    for (const bad of ['', 'soon', '-1', '1e9', '12345678901234567'])
      expect(routeOf(marked(bad), 'de-bka', settings)).toEqual({ via: 'hub' });
  });
});

describe('freshness', () => {
  const site = { via: 'site', outboxStoredAt: now } as const;
  const hub = { via: 'hub' } as const;

  it('keeps the hub window at 5 minutes and takes a site’s notice held through a long outage', () => {
    expect(code(() => checkFreshness(now - 4 * 60_000, now, hub, settings))).toBe('OK');
    expect(code(() => checkFreshness(now - 6 * 60_000, now, hub, settings))).toBe('STALE');
    // Sealed at the site 6 minutes, then 23 hours, ago: the outbox's window is a day.
    expect(code(() => checkFreshness(now - 6 * 60_000, now, site, settings))).toBe('OK');
    expect(code(() => checkFreshness(now - 23 * HOUR, now, site, settings))).toBe('OK');
    expect(code(() => checkFreshness(now - 25 * HOUR, now, site, settings))).toBe('STALE');
  });

  it('allows no more skew ahead on either route', () => {
    for (const route of [hub, site]) {
      expect(code(() => checkFreshness(now + 20_000, now, route, settings))).toBe('OK');
      expect(code(() => checkFreshness(now + 40_000, now, route, settings))).toBe('FUTURE');
    }
  });

  it('never makes the site window shorter than the hub’s', () => {
    const short = { ...settings, siteMaxAgeMs: 1000 };
    expect(code(() => checkFreshness(now - 4 * 60_000, now, site, short))).toBe('OK');
  });
});

describe('the windows against the delivery ledger', () => {
  it('refuses to start with a window the replay guard would not cover', () => {
    expect(code(() => checkFreshnessSettings(settings))).toBe('OK');
    expect(code(() => checkFreshnessSettings({ ...settings, siteMaxAgeMs: 6 * 365 * 24 * HOUR }))).toBe(
      'CONFIG_INVALID',
    );
    // Without a site agency the site window is unused.
    expect(
      code(() =>
        checkFreshnessSettings({ ...settings, siteAgencies: [], siteMaxAgeMs: 6 * 365 * 24 * HOUR }),
      ),
    ).toBe('OK');
  });
});
