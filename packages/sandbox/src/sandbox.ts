import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogService, type VerifyLogOptions, type VerifyReport, verifyLog } from '@liaison/audit-log';
import { authorizationBlock, BrokerSync, CredentialStore, connectAs } from '@liaison/broker';
import { KeyStore, LiaisonClient } from '@liaison/client';
import { createLogger, type Logger, retryTransient } from '@liaison/core';
import { type AgencyKeys, type PublicKeyRecord, toJwks } from '@liaison/envelope';
import { DEFAULT_SETTINGS, Gate, type GateSettings, type Outcome } from '@liaison/gate';
import {
  type Agency,
  type Agreement,
  bootstrapDirectory,
  DEMO_AGENCIES,
  DEMO_AGREEMENTS,
  type PolicyStore,
} from '@liaison/registry';
import { type NatsServer, startServer, tlsServerConfig } from '@liaison/testkit';
import { ensureStreams, GATE_STREAMS, STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const GATE_ID = 'liaison-gate';
export const OPERATOR_ID = 'liaison-operator';
export const AUDIT_LOG_ID = 'liaison-audit-log';
const AUDIT_LOG_AGENCY: Agency = {
  id: AUDIT_LOG_ID,
  name: 'Liaison audit log',
  country: 'EU',
  kind: 'service',
  roles: ['audit-log'],
};

const GATE_AGENCY: Agency = {
  id: GATE_ID,
  name: 'Liaison policy gate',
  country: 'EU',
  kind: 'service',
  roles: ['gate'],
};

export interface SandboxOptions {
  /** Where keys go; a temporary directory (removed on dispose) by default. */
  home?: string;
  agencies?: readonly Agency[];
  agreements?: readonly Agreement[];
  /** Start the gate in this process (default true). */
  gate?: boolean;
  /** Start the audit-log service in this process (default true). */
  auditLog?: boolean;
  /** Per-identity nkeys and least-privilege permissions generated from the registry. */
  secure?: boolean;
  /** TLS-only server with the certificates in this directory (deploy/tls/make-dev-ca.sh). */
  tls?: string;
  gateSettings?: Partial<GateSettings>;
  onOutcome?: (o: Outcome) => void;
  logger?: Logger;
}

/**
 * A whole exchange on loopback: a real nats-server (through the testkit), a
 * signed directory with fresh keys, the gate, and a client per agency on demand.
 */
export class Sandbox implements AsyncDisposable {
  gate: Gate | undefined;
  auditLog: AuditLogService | undefined;
  private readonly clients = new Map<string, LiaisonClient>();
  private readonly connections: NatsConnection[] = [];

  readonly creds: CredentialStore;

  private constructor(
    readonly server: NatsServer,
    /** Client URL (tls:// when TLS is on). */
    readonly url: string,
    readonly home: string,
    private readonly ownsHome: boolean,
    readonly keys: Map<string, AgencyKeys>,
    readonly store: PolicyStore,
    readonly admin: NatsConnection,
    private readonly options: SandboxOptions,
  ) {
    this.creds = new CredentialStore(home);
  }

  /** Keeps the broker's users and permissions in step with the registry (secure mode). */
  brokerSync: BrokerSync | undefined;

  /** Starts following the registry: every policy event regenerates and hot-reloads the broker config. */
  async syncBroker(): Promise<void> {
    this.brokerSync = await BrokerSync.start({
      nc: this.admin,
      store: this.store,
      creds: this.creds,
      operator: OPERATOR_ID,
      apply: async (block) => {
        await this.server.reload(`${block}${this.options.tls ? tlsServerConfig(this.options.tls) : ''}`);
        // JetStream answers "not enabled" for a moment after a reload; wait until it serves again.
        const jsm = await jetstreamManager(this.admin, { checkAPI: false });
        await retryTransient(() => jsm.getAccountInfo(), { attempts: 50, delayMs: 20 });
      },
    });
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const home = options.home ?? mkdtempSync(join(tmpdir(), 'liaison-home-'));
    const creds = new CredentialStore(home);
    // Secure mode: only the operator may connect until the directory exists; then
    // every identity gets its own nkey and least-privilege permissions.
    const operatorOnly = authorizationBlock([
      { id: OPERATOR_ID, nkey: creds.publicKey(OPERATOR_ID), permissions: 'all' },
    ]);
    const tlsBlock = options.tls ? tlsServerConfig(options.tls) : '';
    const server = await startServer(
      options.secure || options.tls
        ? { extraConfig: `${options.secure ? operatorOnly : ''}${tlsBlock}` }
        : {},
    );
    const url = options.tls ? server.url.replace('nats://', 'tls://') : server.url;
    const tlsOpts = options.tls ? { tls: { caFile: join(options.tls, 'ca.pem') } } : {};
    const admin = options.secure
      ? await connectAs(url, OPERATOR_ID, creds, tlsOpts)
      : await connect({ servers: url, name: 'sandbox-admin', noAsyncTraces: true, ...tlsOpts });
    const keyStore = new KeyStore(home);
    const { store, keys } = await bootstrapDirectory(admin, keyStore, {
      origin: 'liaison-sandbox',
      agencies: [...(options.agencies ?? DEMO_AGENCIES), GATE_AGENCY, AUDIT_LOG_AGENCY],
      agreements: options.agreements ?? DEMO_AGREEMENTS,
      // Keys valid from a day back, so tests can present notices "created" in the past.
      validFrom: Date.now() - 86_400_000,
    });
    // The exchange's streams exist before any gate or client starts.
    await ensureStreams(
      await jetstreamManager(admin),
      { ...DEFAULT_SETTINGS, ...options.gateSettings },
      GATE_STREAMS,
    );
    writeFileSync(
      join(home, 'gate.jwks.json'),
      `${JSON.stringify({ gate: GATE_ID, ...toJwks(Sandbox.gateRecords(keys)) }, null, 2)}\n`,
    );
    writeFileSync(
      join(home, 'server.json'),
      `${JSON.stringify({ url, ...(options.tls ? { ca: join(options.tls, 'ca.pem') } : {}) })}\n`,
    );
    const sandbox = new Sandbox(server, url, home, options.home === undefined, keys, store, admin, options);
    if (options.secure) await sandbox.syncBroker();
    if (options.gate !== false) await sandbox.startGate();
    if (options.auditLog !== false) await sandbox.startAuditLog();
    return sandbox;
  }

  private static gateRecords(keys: Map<string, AgencyKeys>): PublicKeyRecord[] {
    return [keys.get(GATE_ID)!.signing.record];
  }

  get gateKeys(): PublicKeyRecord[] {
    return Sandbox.gateRecords(this.keys);
  }

  get anchors(): string[] {
    return new KeyStore(this.home).anchors();
  }

  /** A connection as one identity (its own nkey in secure mode; any name otherwise). */
  async connection(name: string): Promise<NatsConnection> {
    const tlsOpts = this.options.tls ? { tls: { caFile: join(this.options.tls, 'ca.pem') } } : {};
    // Async stack traces cost a stack capture per request: off, as in production.
    const nc = this.options.secure
      ? await connectAs(
          this.url,
          this.store.registry.current.agencies.has(name) ? name : OPERATOR_ID,
          this.creds,
          tlsOpts,
        )
      : await connect({ servers: this.url, name, noAsyncTraces: true, ...tlsOpts });
    this.connections.push(nc);
    return nc;
  }

  async startGate(): Promise<Gate> {
    const nc = await this.connection(GATE_ID);
    this.gate = await Gate.start({
      nc,
      keys: this.keys.get(GATE_ID)!,
      anchors: this.anchors,
      ...(this.options.gateSettings ? { settings: this.options.gateSettings } : {}),
      ...(this.options.onOutcome ? { onOutcome: this.options.onOutcome } : {}),
      logger: this.options.logger ?? createLogger('gate', { level: 'warn' }),
    });
    return this.gate;
  }

  async startAuditLog(): Promise<AuditLogService> {
    this.auditLog = await AuditLogService.start({
      nc: await this.connection(AUDIT_LOG_ID),
      keys: this.keys.get(AUDIT_LOG_ID)!,
      checkpointEvery: 20,
      checkpointIntervalMs: 1000,
      logger: this.options.logger ?? createLogger('audit-log', { level: 'warn' }),
    });
    return this.auditLog;
  }

  /** The auditor's replay of this sandbox's log, with the registry's full history and the log's key. */
  async verifyAudit(options: Partial<VerifyLogOptions> = {}): Promise<VerifyReport> {
    await this.store.refresh();
    const k = this.keys.get(AUDIT_LOG_ID)!.signing;
    return verifyLog({
      nc: this.admin,
      registry: this.store.registry,
      logKey: { name: AUDIT_LOG_ID, publicRaw: k.publicRaw, publicKey: k.publicKey },
      ...options,
    });
  }

  /** Waits until the audit log has appended everything the gates handed it. */
  async auditSettled(timeoutMs = 10_000): Promise<void> {
    const jsm = await jetstreamManager(this.admin);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const inbox = await jsm.streams.info(STREAMS.auditIn);
      if (inbox.state.messages === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the audit log did not catch up');
  }

  /** The SDK client of one agency, on its own connection. */
  async client(agency: string): Promise<LiaisonClient> {
    let c = this.clients.get(agency);
    if (!c) {
      const keys = this.keys.get(agency);
      if (!keys) throw new Error(`no keys for ${agency}`);
      c = await LiaisonClient.connect({
        nc: await this.connection(agency),
        keys,
        gateKeys: this.gateKeys,
        logger: this.options.logger ?? createLogger(`client-${agency}`, { level: 'warn' }),
      });
      this.clients.set(agency, c);
    }
    return c;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients.values()) await c.close().catch(() => undefined);
    this.brokerSync?.stop();
    await this.gate?.stop().catch(() => undefined);
    await this.auditLog?.stop().catch(() => undefined);
    for (const nc of [...this.connections, this.admin]) await nc.close().catch(() => undefined);
    await this.server.dispose();
    if (this.ownsHome) rmSync(this.home, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
