import type { NatsServer } from '@liaison/testkit';
import type { ClusterExchange } from './exchange.js';
import type { ServiceProcess } from './processes.js';
import type { Rng } from './rng.js';

export type FaultKind =
  | 'kill-node'
  | 'pause-node'
  | 'kill-gate'
  | 'pause-gate'
  | 'kill-writer'
  | 'pause-writer';

export interface Fault {
  kind: FaultKind;
  target: string;
  /** When it began, ms after the campaign started. */
  at: number;
  /** How long the target was down or paused (ms). */
  heldMs: number;
}

const KINDS: FaultKind[] = [
  'kill-node',
  'pause-node',
  'kill-gate',
  'pause-gate',
  'kill-writer',
  'pause-writer',
];
/** How long each kind of fault lasts, [min, max] ms. */
const HOLD: Record<FaultKind, [number, number]> = {
  'kill-node': [2000, 8000],
  'pause-node': [1000, 4000],
  'kill-gate': [500, 4000],
  'pause-gate': [1000, 4000],
  'kill-writer': [500, 6000],
  'pause-writer': [1000, 5000],
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Injects one fault at a time, chosen and timed by the seeded generator: SIGKILL and
 * restart of a cluster node (never more than one down, so the R3 streams keep their
 * quorum), a gate or the audit-log writer, or SIGSTOP / SIGCONT of any of them (a stall:
 * a paused node keeps its connections open and answers nothing). Every target is a
 * process the campaign started; it is signalled by PID.
 */
export class FaultScheduler {
  readonly faults: Fault[] = [];

  constructor(
    private readonly x: ClusterExchange,
    private readonly rng: Rng,
    private readonly t0: number,
    private readonly say: (line: string) => void = () => undefined,
  ) {}

  async run(until: number): Promise<Fault[]> {
    while (Date.now() < until) {
      await sleep(this.rng.int(1000, 4000));
      if (Date.now() >= until) break;
      const kind = this.rng.pick(KINDS);
      const heldMs = this.rng.int(...HOLD[kind]);
      const target = this.target(kind);
      const fault: Fault = { kind, target: target.name, at: Date.now() - this.t0, heldMs };
      this.faults.push(fault);
      this.say(`${(fault.at / 1000).toFixed(1)}s ${kind} ${target.name} for ${heldMs} ms`);
      await this.inject(kind, target, heldMs);
    }
    return this.faults;
  }

  private target(kind: FaultKind): NatsServer | ServiceProcess {
    if (kind.endsWith('node')) return this.rng.pick(this.x.cluster.servers);
    if (kind.endsWith('gate')) return this.rng.pick(this.x.gates);
    return this.x.writer;
  }

  private async inject(kind: FaultKind, target: NatsServer | ServiceProcess, heldMs: number): Promise<void> {
    if ('restart' in target) {
      if (kind === 'kill-node') {
        await target.kill();
        await sleep(heldMs);
        await restartNode(target);
      } else {
        const pid = target.pid;
        if (pid === undefined) return;
        process.kill(pid, 'SIGSTOP');
        try {
          await sleep(heldMs);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
      }
      return;
    }
    if (kind.startsWith('kill')) {
      await target.kill();
      await sleep(heldMs);
      target.start();
    } else {
      target.pause();
      try {
        await sleep(heldMs);
      } finally {
        target.resume();
      }
    }
  }
}

/** Starts a killed node again; a start that fails (ports still held, slow store) is tried again. */
async function restartNode(node: NatsServer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await node.restart();
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await node.kill();
      await sleep(1000);
    }
  }
}
