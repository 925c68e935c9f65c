import type { KeyPair } from '@liaison/envelope';
import { uuidv7 } from '@liaison/envelope';
import { type ApplyOptions, applyEvent } from './apply-event.js';
import { RegistryError } from './errors.js';
import type { EventData, EventType, PolicyEvent } from './events.js';
import { signEvent } from './sign-event.js';
import { emptySnapshot, type RegistrySnapshot } from './snapshot.js';

export interface AppliedEvent {
  jws: string;
  event: PolicyEvent;
}

/**
 * The registry: a fold over signed policy events. Every revision's snapshot is
 * kept (they share structure), so `at(revision)` and `atTime(ms)` answer for any
 * moment in the past. A refused event leaves the registry exactly as it was.
 */
export class Registry {
  private readonly snapshots: RegistrySnapshot[] = [emptySnapshot()];
  private readonly applied: AppliedEvent[] = [];
  private readonly ids = new Set<string>();

  constructor(readonly options: ApplyOptions) {}

  get current(): RegistrySnapshot {
    return this.snapshots[this.snapshots.length - 1]!;
  }

  get events(): readonly AppliedEvent[] {
    return this.applied;
  }

  /** The snapshot at a revision (0 = empty). */
  at(revision: number): RegistrySnapshot {
    const s = this.snapshots[revision];
    if (!s)
      throw new RegistryError(
        'OUT_OF_ORDER',
        `no revision ${revision} (current is ${this.current.revision})`,
      );
    return s;
  }

  /** The snapshot in force at an instant: the last revision whose event time is not after it. */
  atTime(ms: number): RegistrySnapshot {
    // Event times never decrease (each is at least the previous one): binary search,
    // since an audit replay asks this for every entry.
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid]!.at <= ms) lo = mid;
      else hi = mid - 1;
    }
    return this.snapshots[lo]!;
  }

  /** Applies a signed event; throws a RegistryError and changes nothing if it is refused. */
  async apply(jws: string): Promise<PolicyEvent> {
    const { snapshot, event } = await applyEvent(this.current, jws, this.options);
    if (this.ids.has(event.id)) throw new RegistryError('DUPLICATE_EVENT', 'event already applied');
    this.snapshots.push(snapshot);
    this.applied.push({ jws, event });
    this.ids.add(event.id);
    return event;
  }

  /** Builds and signs the next event (it is not applied: publish it, then apply what the stream returns). */
  async prepare<T extends EventType>(
    type: T,
    data: EventData<T>,
    by: { id: string; key: KeyPair },
    at: number = Date.now(),
  ): Promise<string> {
    const s = this.current;
    const event: PolicyEvent = {
      v: 1,
      id: uuidv7(at),
      revision: s.revision + 1,
      prev: s.head,
      at: Math.max(at, s.at),
      by: by.id,
      type,
      data,
    };
    return signEvent(event, by.key);
  }
}
