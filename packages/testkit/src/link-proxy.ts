import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP relay on loopback between a leaf node and one hub node's leaf-node listener,
 * so a test can cut a site's link to the hub (every open socket destroyed, new ones
 * refused) and restore it while both servers keep running. TLS passes through untouched.
 */
export class LinkProxy implements AsyncDisposable {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private cut = false;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Listens on a free loopback port and relays to `target`. */
  static async start(target: { host: string; port: number }): Promise<LinkProxy> {
    const probe = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const a = probe.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
    await new Promise<void>((r) => probe.close(() => r()));
    const proxy = new LinkProxy(port, target);
    await proxy.listen();
    return proxy;
  }

  /** `host:port` a leaf's remote should name. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get isCut(): boolean {
    return this.cut;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      if (this.cut) return void client.destroy();
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Cuts the link: open connections are destroyed and no new one is relayed. */
  async cutLink(): Promise<void> {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Restores the link: the leaf's next reconnect attempt gets through. */
  async restore(): Promise<void> {
    if (!this.cut) return;
    this.cut = false;
    await this.listen();
  }

  async dispose(): Promise<void> {
    await this.cutLink();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
