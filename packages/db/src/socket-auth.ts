import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

/**
 * SCRAM-SHA-256 for the embedded database's local socket (the server side of RFC 5802/7677 as
 * Postgres speaks it). pglite-socket has no authentication: PGlite answers a StartupMessage with
 * AuthenticationOk for anyone. So the handshake runs here, on the raw socket, before a single byte
 * reaches PGlite; only an authenticated client's StartupMessage is handed on (PGlite then sends the
 * AuthenticationOk, parameters and ReadyForQuery the client expects after SASLFinal).
 *
 * SCRAM and not a cleartext or MD5 password: the password never crosses the socket, so a process
 * that grabs the port after we exit learns nothing, and postgres.js checks our server signature.
 */

/** What the server keeps of the password (never the password itself). */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Derives the verifier for `password` (Postgres's default 4096 iterations). */
export function scramVerifier(password: string, iterations = 4096): ScramVerifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return {
    salt,
    iterations,
    storedKey: createHash("sha256").update(clientKey).digest(),
    serverKey: hmac(salted, "Server Key"),
  };
}

/** The client's first bytes after a successful handshake: its StartupMessage and anything it sent after. */
export interface Authenticated {
  startup: Buffer;
  rest: Buffer;
}

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** Handshake messages are a few hundred bytes; anything bigger is not a client we want. */
const MAX_MESSAGE = 8_192;

/** The client failed or broke the handshake; `code` is the SQLSTATE sent to it. */
export class SocketAuthError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "SocketAuthError";
    this.code = code;
  }
}

/**
 * Runs the startup + SCRAM-SHA-256 exchange on a fresh socket. Resolves once the client proved it
 * knows the password (the socket is then paused, with no data listener); rejects — after sending
 * the client a FATAL ErrorResponse and closing the socket — on a wrong password, a protocol
 * violation, or no answer within `timeoutMs`.
 */
export async function authenticateSocket(
  socket: Socket,
  verifier: ScramVerifier,
  timeoutMs: number,
): Promise<Authenticated> {
  const reader = new HandshakeReader(socket);
  const timer = setTimeout(
    () => reader.fail(new SocketAuthError("08006", "authentication timed out")),
    timeoutMs,
  );
  try {
    let startup: Buffer;
    for (;;) {
      const msg = await reader.untyped();
      const code = msg.length >= 8 ? msg.readInt32BE(4) : 0;
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write("N"); // no TLS on a loopback socket; the client goes on in plain text
        continue;
      }
      if (code === CANCEL_REQUEST) throw new SocketAuthError("08P01", "cancel requests are not supported");
      if (code !== PROTOCOL_3) throw new SocketAuthError("08P01", "unsupported frontend protocol");
      startup = msg;
      break;
    }
    const user = startupParameter(startup, "user") ?? "";

    socket.write(authMessage(10, Buffer.from("SCRAM-SHA-256\0\0")));
    const initial = await reader.typed("p");
    const mechanismEnd = initial.indexOf(0);
    if (mechanismEnd < 0 || initial.toString("utf8", 0, mechanismEnd) !== "SCRAM-SHA-256") {
      throw new SocketAuthError("28000", "only SCRAM-SHA-256 is supported");
    }
    const clientFirst = initial.subarray(mechanismEnd + 5).toString("utf8");
    // gs2 header: "n,," (no channel binding) or "y,," (client could, we don't); "p=" is refused.
    const gs2 = /^([ny]),[^,]*,/.exec(clientFirst);
    if (!gs2) throw new SocketAuthError("08P01", "malformed SCRAM client-first message");
    const clientFirstBare = clientFirst.slice(gs2[0].length);
    const clientNonce = scramAttribute(clientFirstBare, "r");
    if (!clientNonce) throw new SocketAuthError("08P01", "malformed SCRAM client-first message");
    const nonce = clientNonce + randomBytes(18).toString("base64");
    const serverFirst = `r=${nonce},s=${verifier.salt.toString("base64")},i=${verifier.iterations}`;
    socket.write(authMessage(11, Buffer.from(serverFirst)));

    const clientFinal = (await reader.typed("p")).toString("utf8");
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw new SocketAuthError("08P01", "malformed SCRAM client-final message");
    const withoutProof = clientFinal.slice(0, proofAt);
    if (
      scramAttribute(withoutProof, "c") !== Buffer.from(gs2[0]).toString("base64") ||
      scramAttribute(withoutProof, "r") !== nonce
    ) {
      throw new SocketAuthError("08P01", "SCRAM channel binding or nonce mismatch");
    }
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(verifier.storedKey, auth);
    const clientKey = proof.length === signature.length ? xor(proof, signature) : Buffer.alloc(32);
    const claimed = createHash("sha256").update(clientKey).digest();
    if (!timingSafeEqual(claimed, verifier.storedKey)) {
      throw new SocketAuthError("28P01", `password authentication failed for user "${user.slice(0, 64)}"`);
    }
    socket.write(authMessage(12, Buffer.from(`v=${hmac(verifier.serverKey, auth).toString("base64")}`)));
    return { startup, rest: reader.detach() };
  } catch (error) {
    reader.detach();
    socket.on("error", () => {}); // a reset while we say goodbye is no news
    const failure =
      error instanceof SocketAuthError ? error : new SocketAuthError("08P01", (error as Error).message);
    if (socket.destroyed) throw failure;
    socket.end(errorResponse(failure.code, failure.message), () => socket.destroy());
    // A client that does not read its error must not keep the socket open.
    setTimeout(() => socket.destroy(), 1_000).unref();
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

/** Buffers a socket's bytes and hands out whole protocol messages during the handshake. */
class HandshakeReader {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiter: (() => void) | null = null;
  #error: Error | null = null;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    this.#wake();
  };
  readonly #onEnd = () => this.fail(new SocketAuthError("08006", "client went away during authentication"));

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", this.#onEnd);
  }

  fail(error: Error): void {
    this.#error ??= error;
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (this.#error) throw this.#error;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  /** A length-prefixed message without a type byte (StartupMessage, SSLRequest, …). */
  async untyped(): Promise<Buffer> {
    await this.#need(4);
    const length = this.#buffer.readInt32BE(0);
    if (length < 8 || length > MAX_MESSAGE) throw new SocketAuthError("08P01", "invalid startup packet");
    await this.#need(length);
    return this.#take(0, length);
  }

  /** A typed message's body; any other type than `type` is a protocol violation. */
  async typed(type: string): Promise<Buffer> {
    await this.#need(5);
    const length = this.#buffer.readInt32BE(1);
    if (String.fromCharCode(this.#buffer[0]!) !== type) {
      throw new SocketAuthError("28000", "authentication is required");
    }
    if (length < 4 || length > MAX_MESSAGE) throw new SocketAuthError("08P01", "invalid message length");
    await this.#need(1 + length);
    return this.#take(5, 1 + length);
  }

  #take(from: number, to: number): Buffer {
    const message = this.#buffer.subarray(from, to);
    this.#buffer = this.#buffer.subarray(to);
    return message;
  }

  /** Stops reading (the socket stays paused) and returns what was received but not consumed. */
  detach(): Buffer {
    this.#socket.pause();
    this.#socket.off("data", this.#onData);
    this.#socket.off("end", this.#onEnd);
    this.#socket.off("close", this.#onEnd);
    this.#socket.off("error", this.#onEnd);
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return rest;
  }
}

function startupParameter(startup: Buffer, name: string): string | undefined {
  const fields = startup.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function scramAttribute(message: string, name: string): string | undefined {
  for (const part of message.split(",")) if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  return undefined;
}

/** AuthenticationRequest ('R') with the given code and payload. */
function authMessage(code: number, payload: Buffer): Buffer {
  const msg = Buffer.alloc(9 + payload.length);
  msg.write("R", 0, "latin1");
  msg.writeInt32BE(8 + payload.length, 1);
  msg.writeInt32BE(code, 5);
  payload.copy(msg, 9);
  return msg;
}

/** A FATAL ErrorResponse ('E'). */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const msg = Buffer.alloc(5 + fields.length);
  msg.write("E", 0, "latin1");
  msg.writeInt32BE(4 + fields.length, 1);
  fields.copy(msg, 5);
  return msg;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
