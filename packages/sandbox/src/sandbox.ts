import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RunningAuditLog,
  type RunningLogReader,
  runAuditLog,
  runLogReader,
  type VerifyLogOptions,
  type VerifyReport,
  verifyLog,
} from '@liaison/audit-log';
import { BrokerSync, operatorOnlyBlock } from '@liaison/broker';
import { LiaisonClient } from '@liaison/client';
import { createLogger, type Logger, retryTransient } from '@liaison/core';
import { type AgencyKeys, type PublicKeyRecord, toJwks } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/fixtures';
import {
  DEFAULT_SETTINGS,
  type Gate,
  type GateSettings,
  type Outcome,
  type RunningGate,
  runGate,
} from '@liaison/gate';
import { CredentialStore, connect, connectionFor, KeyStore, writeServerFile } from '@liaison/identity';
import { makeDevCa, type NatsServer, startServer, tlsServerConfig } from '@liaison/launcher';
import { type LogSource, remoteLog } from '@liaison/log-reader';
import { type Agency, type Agreement, bootstrapDirectory, type PolicyStore } from '@liaison/registry';
import { type RetentionRunOptions, type RunningRetention, runRetention } from '@liaison/retention';
import { ensureStreams, GATE_STREAMS, STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AUDIT_LOG_ID, GATE_ID, LOG_READER_ID, OPERATOR_ID, RETENTION_ID, SERVICES } from './services.js';

type Running = RunningGate | RunningAuditLog | RunningRetention | RunningLogReader;

export interface SandboxOptions {
  /** Where keys go; a temporary directory (removed on dispose) by default. */
  home?: string;
  agencies?: readonly Agency[];
  agreements?: readonly Agreement[];
  /** Start the gate in this process (default true). */
  gate?: boolean;
  /** Start the audit-log service in this process (default true). */
  auditLog?: boolean;
  /** Start the log reader in this process (default true): auditors and administrators read through it. */
  logReader?: boolean;
  /**
   * DEVELOPMENT ONLY: an open broker (anonymous connections, no permissions, no TLS).
   * The default is the locked-down exchange: every identity with its own nkey and
   * least-privilege permissions generated from the registry, over TLS.
   */
  open?: boolean;
  /** The development CA's directory (made with the launcher's `makeDevCa` when absent: `<home>/tls`). */
  tls?: string;
  gateSettings?: Partial<GateSettings>;
  onOutcome?: (o: Outcome) => void;
  logger?: Logger;
}

/**
 * A whole exchange on loopback: a real nats-server (the launcher's), a signed
 * directory with fresh keys, the gate and the audit log through their own `run…`
 * entry points, and a client per agency on demand. Locked down unless `open`.
 */
export class Sandbox implements AsyncDisposable {
  gate: Gate | undefined;
  auditLog: RunningAuditLog['log'] | undefined;
  private running: Running[] = [];
  /** The services this sandbox runs and not yet stopped, by identity (their connections carry the name). */
  private readonly live = new Map<Running, string>();
  private readonly clients = new Map<string, LiaisonClient>();
  private readonly connections: NatsConnection[] = [];
  /** Keeps the broker's users and permissions in step with the registry (not when open). */
  brokerSync: BrokerSync | undefined;
  readonly creds: CredentialStore;

  private constructor(
    readonly server: NatsServer,
    /** Client URL (tls:// unless open). */
    readonly url: string,
    readonly home: string,
    private readonly ownsHome: boolean,
    /** The development CA's directory (undefined when open). */
    readonly tlsDir: string | undefined,
    readonly keys: Map<string, AgencyKeys>,
    readonly store: PolicyStore,
    readonly admin: NatsConnection,
    private readonly options: SandboxOptions,
  ) {
    this.creds = new CredentialStore(home);
  }

  get open(): boolean {
    return this.options.open === true;
  }

  /** The CA file clients trust (undefined when open). */
  get caFile(): string | undefined {
    return this.tlsDir ? join(this.tlsDir, 'ca.pem') : undefined;
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const home = options.home ?? mkdtempSync(join(tmpdir(), 'liaison-home-'));
    const open = options.open === true;
    const creds = new CredentialStore(home);
    const tlsDir = open ? undefined : (options.tls ?? makeDevCa(join(home, 'tls')));
    // Locked down: only the operator may connect until the directory exists; then
    // every identity gets its own nkey and least-privilege permissions.
    const operatorOnly = operatorOnlyBlock(OPERATOR_ID, creds);
    const server = await startServer(
      open ? {} : { extraConfig: `${operatorOnly}${tlsServerConfig(tlsDir!)}` },
    );
    const url = open ? server.url : server.url.replace('nats://', 'tls://');
    const caFile = tlsDir ? join(tlsDir, 'ca.pem') : undefined;
    const admin = await connect(
      connectionFor({ home, identity: OPERATOR_ID, servers: url, caFile, anonymous: open, reconnect: true }),
    );
    const { store, keys } = await bootstrapDirectory(admin, new KeyStore(home), {
      origin: 'liaison-sandbox',
      agencies: [...(options.agencies ?? DEMO_AGENCIES), ...SERVICES],
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
      `${JSON.stringify({ gate: GATE_ID, ...toJwks([keys.get(GATE_ID)!.signing.record]) }, null, 2)}\n`,
    );
    writeServerFile(home, { url, ...(caFile ? { ca: caFile } : { open: true }) });
    const sandbox = new Sandbox(
      server,
      url,
      home,
      options.home === undefined,
      tlsDir,
      keys,
      store,
      admin,
      options,
    );
    await sandbox.syncBroker();
    if (options.logReader !== false) await sandbox.startLogReader();
    if (options.gate !== false) await sandbox.startGate();
    if (options.auditLog !== false) await sandbox.startAuditLog();
    return sandbox;
  }

  /**
   * Starts following the registry: every policy event provisions new agencies' feed
   * consumers and (unless open) regenerates and hot-reloads the broker's accounts.
   */
  private async syncBroker(): Promise<void> {
    this.brokerSync = await BrokerSync.start({
      nc: this.admin,
      store: this.store,
      creds: this.creds,
      operator: OPERATOR_ID,
      ...(this.open
        ? {}
        : {
            apply: (block: string, change: { accountsChanged: boolean }) =>
              this.applyBroker(block, change.accountsChanged),
          }),
    });
  }

  private async applyBroker(block: string, accountsChanged: boolean): Promise<void> {
    const config = `${block}${tlsServerConfig(this.tlsDir!)}`;
    if (accountsChanged) {
      // A new agency's account and imports: 2.9.10 wires them only at start-up.
      await this.server.restartWith(config);
      await retryTransient(() => this.admin.flush(), { attempts: 100, delayMs: 50, isTransient: () => true });
      // A request from an agency's account to a service not yet back is lost, not refused.
      await this.servicesConnected();
    } else await this.server.reload(config);
    // JetStream answers "not enabled" for a moment after a reload; wait until it serves again.
    const jsm = await jetstreamManager(this.admin, { checkAPI: false });
    await retryTransient(() => jsm.getAccountInfo(), { attempts: 50, delayMs: 20 });
  }

  /**
   * Waits until the broker runs the configuration of the registry's latest revision
   * (a policy event reloads it; JetStream pauses for a moment meanwhile).
   */
  async policyApplied(timeoutMs = 10_000): Promise<void> {
    await this.store.refresh();
    const target = this.store.registry.current.revision;
    const deadline = Date.now() + timeoutMs;
    while (this.brokerSync && this.brokerSync.revision < target) {
      if (Date.now() > deadline) throw new Error(`the broker did not apply registry revision ${target}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.brokerSync?.settled();
  }

  get gateKeys(): PublicKeyRecord[] {
    return [this.keys.get(GATE_ID)!.signing.record];
  }

  get anchors(): string[] {
    return new KeyStore(this.home).anchors();
  }

  /** Keeps a started service (stopped at dispose; a broker restart waits until it is back). */
  private track(identity: string, running: Running): void {
    this.running.push(running);
    this.live.set(running, identity);
    void running.done.finally(() => this.live.delete(running));
  }

  /** Waits until every service this sandbox started is connected to the broker again (its monitoring `/connz`). */
  private async servicesConnected(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${this.server.httpPort}/connz?limit=4096`).catch(
        () => undefined,
      );
      const body = res?.ok ? ((await res.json()) as { connections?: { name?: string }[] }) : undefined;
      const names = new Set((body?.connections ?? []).map((c) => c.name));
      if ([...this.live.values()].every((n) => names.has(n))) return;
      if (Date.now() > deadline) throw new Error('the services did not reconnect after the broker restart');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** How `identity` connects (its own nkey and inbox unless open; over TLS). */
  connectionConfig(identity: string) {
    return connectionFor({
      home: this.home,
      identity,
      servers: this.url,
      caFile: this.caFile,
      anonymous: this.open,
      reconnect: true,
    });
  }

  /**
   * A connection as one identity: its own nkey when it is in the registry (an agency, a
   * service, an auditor or an administrator); any other
   * name connects as the operator (or anonymously when open).
   */
  async connection(name: string): Promise<NatsConnection> {
    const registry = this.store.registry.current;
    const known = registry.agencies.has(name) || registry.admins.has(name);
    const nc = await connect({
      ...this.connectionConfig(this.open || known ? name : OPERATOR_ID),
      name,
    });
    this.connections.push(nc);
    return nc;
  }

  /** Starts a gate through the gate package's own entry point (`runGate`). */
  async startGate(): Promise<Gate> {
    const running = await runGate(
      {
        connection: this.connectionConfig(GATE_ID),
        home: this.home,
        ...(this.options.gateSettings ? { settings: this.options.gateSettings } : {}),
      },
      {
        logger: this.options.logger ?? createLogger('gate', { level: 'warn' }),
        ...(this.options.onOutcome ? { onOutcome: this.options.onOutcome } : {}),
      },
    );
    this.track(GATE_ID, running);
    this.gate = running.gate;
    return running.gate;
  }

  /** Starts the log reader through its own entry point (`runLogReader`). */
  async startLogReader(): Promise<RunningLogReader> {
    const running = await runLogReader(
      { connection: this.connectionConfig(LOG_READER_ID) },
      { logger: this.options.logger ?? createLogger('log-reader', { level: 'warn' }) },
    );
    this.track(LOG_READER_ID, running);
    return running;
  }

  /**
   * How an identity outside the exchange's account (an auditor, an administrator) reads
   * the logs: its own connection and the log reader's batches (unless open: JetStream directly).
   */
  async reader(identity: string): Promise<{ nc: NatsConnection; source: LogSource | undefined }> {
    const nc = await this.connection(identity);
    return { nc, source: this.open ? undefined : remoteLog(nc) };
  }

  /** Starts the audit log's writer through its own entry point (`runAuditLog`). */
  async startAuditLog(): Promise<RunningAuditLog['log']> {
    const running = await runAuditLog(
      {
        connection: this.connectionConfig(AUDIT_LOG_ID),
        home: this.home,
        checkpointEvery: 20,
        checkpointIntervalMs: 1000,
      },
      { logger: this.options.logger ?? createLogger('audit-log', { level: 'warn' }) },
    );
    this.track(AUDIT_LOG_ID, running);
    this.auditLog = running.log;
    return running.log;
  }

  /**
   * Starts the retention service through its own entry point (`runRetention`), as the
   * retention identity; tests pass a clock (`now`) and a long interval, and call
   * `service.sweep()` themselves.
   */
  async startRetention(o: Omit<RetentionRunOptions, 'signal'> & { intervalMs?: number } = {}) {
    const running = await runRetention(
      {
        connection: this.connectionConfig(RETENTION_ID),
        home: this.home,
        intervalMs: o.intervalMs ?? 60 * 60_000,
        ...(this.options.gateSettings?.feedMaxAgeDays
          ? { feedMaxAgeDays: this.options.gateSettings.feedMaxAgeDays }
          : {}),
      },
      { logger: o.logger ?? this.options.logger ?? createLogger('retention', { level: 'warn' }), ...o },
    );
    this.track(RETENTION_ID, running);
    return running;
  }

  /**
   * The auditor's replay of this sandbox's log, with the registry's full history and the
   * log's key: as the operator (JetStream directly), or `as` an auditor in its own account
   * (through the log reader, as `liaison audit verify` reads).
   */
  async verifyAudit(options: Partial<VerifyLogOptions> & { as?: string } = {}): Promise<VerifyReport> {
    await this.store.refresh();
    const k = this.keys.get(AUDIT_LOG_ID)!.signing;
    const { as, ...rest } = options;
    const reader = as ? await this.reader(as) : undefined;
    return verifyLog({
      nc: reader?.nc ?? this.admin,
      ...(reader?.source ? { source: reader.source } : {}),
      registry: this.store.registry,
      policyRejected: this.store.rejected,
      logKey: { name: AUDIT_LOG_ID, publicRaw: k.publicRaw, publicKey: k.publicKey },
      ...rest,
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
        ...(this.open ? { broker: 'open' as const } : {}),
        logger: this.options.logger ?? createLogger(`client-${agency}`, { level: 'warn' }),
      });
      this.clients.set(agency, c);
    }
    return c;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients.values()) await c.close().catch(() => undefined);
    this.brokerSync?.stop();
    for (const r of this.running) await r.stop().catch(() => undefined);
    for (const nc of [...this.connections, this.admin]) await nc.close().catch(() => undefined);
    await this.server.dispose();
    if (this.ownsHome) rmSync(this.home, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
