// Node 20 can deadlock a thread for good when a key made by generateKeyPairSync is
// exported to JWK after the call returned: a garbage collection during the export
// runs the finished key-generation job's destructor, which waits for the lock the
// export holds. `seal` makes one ephemeral X25519 key per notice, so a publisher
// sealing in a loop hit it (a process that stopped, every thread waiting on a futex).
// A tight loop of the old pattern deadlocks within a few thousand keys here; the
// ephemeral keys are stressed the same way, in a child process that must finish.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const primitives = new URL('../src/primitives.ts', import.meta.url).href;
const tsx = fileURLToPath(import.meta.resolve('tsx/esm'));

function runChild(body: string, timeoutMs: number) {
  return spawnSync(
    process.execPath,
    ['--import', tsx, '--conditions=source', '--input-type=module', '-e', body],
    {
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      encoding: 'utf8',
    },
  );
}

describe('ephemeral X25519 keys', () => {
  it('are made 60 000 times in a row without the thread deadlocking', () => {
    const child = runChild(
      `import { x25519Ephemeral } from ${JSON.stringify(primitives)};
       let n = 0;
       for (let i = 0; i < 60000; i++) n += x25519Ephemeral().publicRaw.length;
       console.log('made', n / 32);`,
      30_000,
    );
    expect(child.signal, `the child was killed (deadlocked?): ${child.stderr}`).toBeNull();
    expect(child.stdout.trim()).toBe('made 60000');
  });

  it('still give the public key that belongs to the private key', async () => {
    const { x25519Ephemeral, x25519, x25519PublicKey } = await import('../src/primitives.js');
    const a = x25519Ephemeral();
    const b = x25519Ephemeral();
    // Both sides of a Diffie-Hellman agree only if each public key matches its private key.
    expect(x25519(a.privateKey, x25519PublicKey(b.publicRaw))).toEqual(
      x25519(b.privateKey, x25519PublicKey(a.publicRaw)),
    );
    expect(a.publicRaw).toHaveLength(32);
  });
});
