import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { createDb, wrapPglite } from "./client.ts";
import { removeSeedLeftovers, seedDataFolder } from "./embedded-seed.ts";
import { pgliteOptions } from "./pglite-settings.ts";
import { authenticateSocket, type ScramVerifier, scramVerifier } from "./socket-auth.ts";
import type { Database } from "./types.ts";

/**
 * The embedded database lives in `DATA_DIR/pgdata`; `DATA_DIR/telepay.lock.json` says who has it
 * open. PGlite is one process's private Postgres: two processes opening the same folder would
 * corrupt it, so every opener takes the lock file first (O_EXCL create), and the process that
 * serves it (standalone, or a service on embedded data) publishes a local socket other processes
 * (the CLI) talk Postgres to. That socket asks for the password in `DATA_DIR/socket-password`,
 * which only the folder's owner can read (DATA_DIR is kept at mode 0700, the file at 0600).
 */
export function embeddedPaths(dataDir: string) {
  return {
    pgdata: join(dataDir, "pgdata"),
    lockFile: join(dataDir, "telepay.lock.json"),
    passwordFile: join(dataDir, "socket-password"),
  };
}

/** Contents of `DATA_DIR/telepay.lock.json`. */
export interface EmbeddedLock {
  pid: number;
  host: string;
  /** "serve": a long-running process answering on `port`; "direct": a short-lived CLI command. */
  mode: "serve" | "direct";
  /** 127.0.0.1 port of the socket server; null while the server is still starting. */
  port: number | null;
  startedAt: string;
  /** Which app serves it ("standalone", "bot-gateway", …), for whoever is refused. */
  service?: string;
}

/** The data folder is held by another live process that does not serve it (or is not ready). */
export class EmbeddedBusyError extends Error {
  readonly lock: EmbeddedLock;
  constructor(message: string, lock: EmbeddedLock) {
    super(message);
    this.name = "EmbeddedBusyError";
    this.lock = lock;
  }
}

export interface OpenEmbeddedOptions {
  dataDir: string;
  /** Serve the database on 127.0.0.1 for other processes (standalone). Default false. */
  serve?: boolean;
  /** The app that opens it, named in the lock file (and so in the message a second opener gets). */
  service?: string;
  /**
   * How long to wait for a CLI command holding the folder to let go, in ms. Default 15 000.
   * A process serving the folder never lets go: openers are refused at once.
   */
  waitMs?: number;
  /**
   * A socket session that sends nothing for this long is dropped (its open transaction rolled back),
   * so a hung client cannot stall the serving process. Default 30 000 ms.
   */
  sessionIdleMs?: number;
  /**
   * A new (empty) data folder starts as a copy of the migrated seed kept in this folder
   * (embedded-seed.ts; defaultSeedCacheDir(env) is the user's). For openers that migrate at once — the
   * apps, the sandbox. Unset, PGlite runs initdb as it does by itself: the CLI leaves it unset, so a
   * mistyped DATA_DIR stays unmigrated and `telepay channel list` says so rather than showing an
   * empty list.
   */
  seedCacheDir?: string;
}

export interface EmbeddedHandle {
  readonly database: Database;
  /** Port of the local socket server (serve mode only). */
  readonly port: number | null;
  /** The absolute data folder. */
  readonly dataDir: string;
  /** Stops the socket server, closes PGlite and removes the lock file. Idempotent. */
  close(): Promise<void>;
}

const POLL_MS = 100;
/** A client must finish the password handshake within this long. */
const AUTH_TIMEOUT_MS = 10_000;

/**
 * Opens the embedded PGlite in `dataDir` exclusively for this process. With `serve: true` it also
 * serves it on 127.0.0.1:<random port> (written to the lock file), behind the password in
 * `DATA_DIR/socket-password`, so `connectEmbedded` clients can use it while this process runs.
 * Fails with EmbeddedBusyError at once if another live process serves it, or if a CLI command
 * holds it longer than `waitMs`.
 */
export async function openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedHandle> {
  const dataDir = resolve(options.dataDir);
  const { pgdata, lockFile, passwordFile } = embeddedPaths(dataDir);
  await ownerOnlyFolder(dataDir);
  await mkdir(pgdata, { recursive: true });
  const lock: EmbeddedLock = {
    pid: process.pid,
    host: hostname(),
    mode: options.serve ? "serve" : "direct",
    port: null,
    startedAt: new Date().toISOString(),
    ...(options.service ? { service: options.service } : {}),
  };
  await acquireLock(dataDir, lock, options.waitMs ?? 15_000);
  let client: PGlite | undefined;
  let server: Server | undefined;
  try {
    await removeSeedLeftovers(dataDir);
    if (options.seedCacheDir) await seedDataFolder(pgdata, options.seedCacheDir);
    const { PGlite } = await import("@electric-sql/pglite"); // loaded only by who opens it
    client = await PGlite.create(pgdata, pgliteOptions(PGlite));
    const database = await wrapPglite(client);
    let port: number | null = null;
    if (options.serve) {
      // A new password per start: one that leaked from an earlier run opens nothing.
      const password = randomBytes(32).toString("hex");
      await writeOwnerOnly(passwordFile, `${password}\n`);
      const served = await serveSessions(client, options.sessionIdleMs ?? 30_000, scramVerifier(password));
      server = served.server;
      port = served.port;
      await writeOwnerOnly(lockFile, JSON.stringify({ ...lock, port }));
    }
    let closed = false;
    return {
      database,
      port,
      dataDir,
      async close() {
        if (closed) return;
        closed = true;
        try {
          if (server) await served(server);
          await database.close();
        } finally {
          if (server) await unlink(passwordFile).catch(() => {});
          await releaseLock(lockFile);
        }
      },
    };
  } catch (error) {
    if (server) await served(server).catch(() => {});
    await client?.close().catch(() => {});
    if (options.serve) await unlink(passwordFile).catch(() => {});
    await releaseLock(lockFile);
    throw error;
  }
}

/**
 * The connection URL (with the password) of the process serving `dataDir`, or undefined when no
 * live process serves it. Only a user who can read `DATA_DIR/socket-password` gets one.
 */
export async function embeddedSocketUrl(dataDir: string): Promise<string | undefined> {
  const { lockFile } = embeddedPaths(dataDir);
  const lock = await readLock(lockFile);
  if (!lock || !isLive(lock) || lock.mode !== "serve" || lock.port === null) return undefined;
  return socketUrl(dataDir, lock.port);
}

async function socketUrl(dataDir: string, port: number): Promise<string> {
  const { passwordFile } = embeddedPaths(dataDir);
  let password: string;
  try {
    password = (await readFile(passwordFile, "utf8")).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read ${passwordFile} (${code}): only the user who runs telepay on ${dataDir} can use it`,
    );
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/**
 * DATA_DIR holds the whole database and the socket password: mode 0700, like Postgres insists on
 * for its data directory. A folder that exists with wider permissions is narrowed (we own it, or
 * chmod fails and says so).
 */
async function ownerOnlyFolder(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === "win32") return; // no POSIX modes; the folder's ACL applies
  if (((await stat(dataDir)).mode & 0o077) !== 0) await chmod(dataDir, 0o700);
}

/** Writes `text` to `file` atomically (temp file + rename), readable by the owner only. */
async function writeOwnerOnly(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await unlink(tmp).catch(() => {});
  await writeFile(tmp, text, { mode: 0o600, flag: "wx" });
  await rename(tmp, file);
}

/**
 * For a process that needs the embedded database briefly (the CLI): talks to the serving process
 * over its socket when one is running, otherwise opens the folder directly under the lock.
 * `via` says which path was taken.
 */
export async function connectEmbedded(
  dataDir: string,
  options: { waitMs?: number } = {},
): Promise<{ database: Database; via: "socket" | "direct"; close(): Promise<void> }> {
  const { lockFile } = embeddedPaths(dataDir);
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  for (;;) {
    const lock = await readLock(lockFile);
    if (lock && isLive(lock) && lock.mode === "serve" && lock.port !== null) {
      // One connection: the server gives each session the whole database per transaction anyway.
      const database = await createDb({
        url: await socketUrl(dataDir, lock.port),
        pool: { size: 1, maxOverflow: 0, timeoutSeconds: 10 },
      });
      return { database, via: "socket", close: () => database.close() };
    }
    if (!lock || !isLive(lock)) {
      try {
        const handle = await openEmbedded({ dataDir, serve: false, waitMs: 0 });
        return { database: handle.database, via: "direct", close: () => handle.close() };
      } catch (error) {
        // Someone took it between our read and our open (e.g. standalone starting): look again.
        if (!(error instanceof EmbeddedBusyError)) throw error;
      }
    }
    if (Date.now() >= deadline) {
      const held = await readLock(lockFile);
      throw new EmbeddedBusyError(busyMessage(dataDir, held), held ?? lock!);
    }
    await sleep(POLL_MS);
  }
}

/** Reads the lock file; undefined when absent or unreadable (a half-written file counts as absent). */
export async function readLock(lockFile: string): Promise<EmbeddedLock | undefined> {
  try {
    return JSON.parse(await readFile(lockFile, "utf8")) as EmbeddedLock;
  } catch {
    return undefined;
  }
}

function isLive(lock: EmbeddedLock): boolean {
  // A lock from another machine (a shared folder) cannot be checked: treat it as held.
  if (lock.host !== hostname()) return true;
  if (lock.pid === process.pid) return true;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function busyMessage(dataDir: string, lock: EmbeddedLock | undefined): string {
  const where = `the embedded database in ${dataDir}`;
  if (!lock) return `${where} is busy`;
  const gone = `remove ${embeddedPaths(dataDir).lockFile} if that process is gone`;
  const holder = `${lock.service ?? "telepay"} (pid ${lock.pid} on ${lock.host})`;
  if (lock.mode === "direct") {
    return `${where} is in use by a telepay CLI command (pid ${lock.pid} on ${lock.host}); wait for it to finish, or ${gone}`;
  }
  if (lock.port === null) {
    return `${where} is being opened by ${holder}, which has not started serving it yet; ${gone}`;
  }
  return `${where} is already served by ${holder} on 127.0.0.1:${lock.port}; stop that process first (the CLI, pnpm telepay, works through it meanwhile), or ${gone}`;
}

async function acquireLock(dataDir: string, lock: EmbeddedLock, waitMs: number): Promise<void> {
  const { lockFile } = embeddedPaths(dataDir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      // O_EXCL: exactly one process can create the file.
      const fh = await open(lockFile, "wx", 0o600);
      try {
        await fh.writeFile(JSON.stringify(lock));
      } finally {
        await fh.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const held = await readLock(lockFile);
    if (held && !isLive(held)) {
      // Stale lock of a crashed process: remove it only if it is still the same file we judged.
      const again = await readLock(lockFile);
      if (again && again.pid === held.pid && again.startedAt === held.startedAt) {
        await unlink(lockFile).catch(() => {});
      }
      continue;
    }
    // A serving process holds the folder for as long as it runs: waiting for it is pointless.
    if (held?.mode === "serve") throw new EmbeddedBusyError(busyMessage(dataDir, held), held);
    if (Date.now() >= deadline) {
      throw new EmbeddedBusyError(busyMessage(dataDir, held), held!);
    }
    // A file that exists but is not parseable yet is being written right now: just poll.
    await sleep(POLL_MS);
  }
}

async function releaseLock(lockFile: string): Promise<void> {
  const held = await readLock(lockFile);
  if (held && held.pid === process.pid && held.host === hostname()) await unlink(lockFile).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Socket server

/**
 * Serves `db` on 127.0.0.1:<random> to clients that pass SCRAM-SHA-256 with the password behind
 * `verifier` (socket-auth.ts: nothing an unauthenticated client sends reaches PGlite), with
 * session-correct interleaving.
 *
 * PGlite has one backend. pglite-socket's own server queues wire messages one at a time under
 * PGlite's query mutex only, which lets a client's messages run inside a transaction the serving
 * process has open between two statements (and vice versa), and lets two clients' Parse/Bind
 * pairs interleave. So we reuse its protocol handler (framing, SSL refusal) but give it our own
 * queue: a client holds PGlite's *transaction* mutex — the one `PGlite.transaction()` and
 * `query()` hold — from its first message until the backend is idle again after a Sync or simple
 * Query. In-process transactions and client transactions therefore never mix.
 */
async function serveSessions(
  db: PGlite,
  idleMs: number,
  verifier: ScramVerifier,
): Promise<{ server: Server; port: number }> {
  const { PGLiteSocketHandler } = await import("@electric-sql/pglite-socket");
  const gate = new SessionGate(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const authenticating = new Set<Socket>();
  const server = createServer((socket: Socket) => {
    authenticating.add(socket);
    authenticateSocket(socket, verifier, AUTH_TIMEOUT_MS).then(
      ({ startup, rest }) => {
        authenticating.delete(socket);
        if (socket.destroyed) return;
        const handler = new PGLiteSocketHandler({
          // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded.
          queryQueue: gate as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
          closeOnDetach: true,
          idleTimeout: idleMs,
        });
        handlers.add(handler);
        const forget = () => handlers.delete(handler);
        handler.addEventListener("close", forget);
        handler.addEventListener("error", forget);
        // PGlite answers the client's own StartupMessage with AuthenticationOk, its parameters and
        // ReadyForQuery: exactly what follows SASLFinal.
        socket.unshift(Buffer.concat([startup, rest]));
        handler.attach(socket).then(
          () => socket.resume(),
          () => socket.destroy(),
        );
      },
      () => authenticating.delete(socket), // refused: authenticateSocket told the client and closed
    );
  });
  const tracked = server as Server & {
    telepayHandlers?: Set<PGLiteSocketHandler>;
    telepayPending?: Set<Socket>;
  };
  tracked.telepayHandlers = handlers;
  tracked.telepayPending = authenticating;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("socket server has no port");
  return { server, port: address.port };
}

async function served(server: Server): Promise<void> {
  const tracked = server as Server & {
    telepayHandlers?: Set<PGLiteSocketHandler>;
    telepayPending?: Set<Socket>;
  };
  const closing = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of tracked.telepayPending ?? []) socket.destroy();
  for (const handler of tracked.telepayHandlers ?? []) await handler.detach(true);
  await closing;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** Builds a simple-query protocol message. */
function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const msg = Buffer.alloc(5 + body.length);
  msg[0] = QUERY;
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return new Uint8Array(msg);
}

/** Hands PGlite's transaction mutex to one socket session at a time (see serveSessions). */
class SessionGate {
  readonly #db: PGlite;
  /** Per-connection promise chain: a connection's messages run in arrival order. */
  readonly #chains = new Map<number, Promise<unknown>>();
  /** Connections that went away (handler ids are never reused). */
  readonly #dead = new Set<number>();
  #owner: number | null = null;
  #release: (() => void) | null = null;

  constructor(db: PGlite) {
    this.#db = db;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const previous = this.#chains.get(handlerId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.#run(handlerId, message, onData));
    this.#chains.set(handlerId, run);
    return run;
  }

  async #run(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.#dead.has(handlerId)) throw new Error("connection closed");
    if (this.#owner !== handlerId) await this.#acquire(handlerId);
    let bytes = 0;
    try {
      // A connection that closed while we waited for the gate runs nothing more.
      if (this.#dead.has(handlerId)) throw new Error("connection closed");
      await this.#db.runExclusive(() =>
        this.#db.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            onData(data);
          },
        }),
      );
    } finally {
      const type = message[0];
      const startup = type === 0; // the startup packet has no type byte (length's high byte is 0)
      const boundary = startup || type === SYNC || type === QUERY || type === TERMINATE;
      if ((boundary || this.#dead.has(handlerId)) && !this.#db.isInTransaction()) this.#free(handlerId);
    }
    return bytes;
  }

  #acquire(handlerId: number): Promise<void> {
    return new Promise<void>((acquired) => {
      void this.#db._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            this.#owner = handlerId;
            this.#release = release;
            acquired();
          }),
      );
    });
  }

  #free(handlerId: number): void {
    if (this.#owner !== handlerId) return;
    const release = this.#release;
    this.#owner = null;
    this.#release = null;
    release?.();
  }

  clearQueueForHandler(handlerId: number): void {
    this.#dead.add(handlerId);
  }

  /** Called when a connection goes away: roll back whatever it left open and let others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.#dead.add(handlerId);
    // Let the message in flight (if any) finish first; the queued ones see #dead and do nothing.
    await this.#chains.get(handlerId)?.catch(() => {});
    this.#chains.delete(handlerId);
    if (this.#owner !== handlerId) {
      this.#dead.delete(handlerId);
      return;
    }
    try {
      if (this.#db.isInTransaction()) {
        await this.#db.runExclusive(() =>
          this.#db.execProtocolRawStream(simpleQuery("ROLLBACK"), { onRawData: () => {} }),
        );
      }
    } finally {
      this.#free(handlerId);
      this.#dead.delete(handlerId);
    }
  }

  getQueueLength(): number {
    return this.#chains.size;
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
