import type { IncomingMessage } from "node:http";

/** A file part of a multipart upload. */
export interface UploadedFile {
  filename: string;
  contentType: string | undefined;
  content: Buffer;
}

export interface ParsedBody {
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
}

// Telegram accepts every parameter as a string in query strings and form bodies; JSON-looking
// values (reply_markup, allowed_updates) and these numeric ids are turned back into values.
const NUMERIC_KEYS = new Set([
  "chat_id",
  "from_chat_id",
  "user_id",
  "message_id",
  "offset",
  "limit",
  "timeout",
  "expire_date",
  "member_limit",
  "until_date",
  "cache_time",
  "max_connections",
  "message_thread_id",
  "reply_to_message_id",
]);
const BOOLEAN_KEYS = new Set([
  "only_if_banned",
  "creates_join_request",
  "drop_pending_updates",
  "show_alert",
  "revoke_messages",
  "disable_notification",
  "protect_content",
  "disable_web_page_preview",
]);

function coerce(key: string, value: string): unknown {
  if (NUMERIC_KEYS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(key) && (value === "true" || value === "false")) return value === "true";
  if ((value.startsWith("{") && value.endsWith("}")) || (value.startsWith("[") && value.endsWith("]"))) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseMultipart(body: Buffer, boundary: string, out: ParsedBody): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(part.length - 2).toString() === "\r\n") part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      // grammY writes `filename=name` unquoted; browsers and curl quote it.
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename=(?:"([^"]*)"|([^\r\n;]+))/i.exec(headers);
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        if (filename) {
          out.files.set(name, { filename: (filename[1] ?? filename[2] ?? "").trim(), contentType, content });
        } else {
          out.params[name] = coerce(name, content.toString("utf8"));
        }
      }
    }
    pos = next;
  }
}

/** Reads a Bot API request: query string plus a JSON, form-urlencoded or multipart body. */
export async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedBody> {
  const out: ParsedBody = { params: {}, files: new Map() };
  for (const [key, value] of url.searchParams) out.params[key] = coerce(key, value);
  const body = await readAll(req);
  if (body.length === 0) return out;
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("application/json")) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) Object.assign(out.params, parsed);
  } else if (type.includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8")))
      out.params[key] = coerce(key, value);
  } else if (type.includes("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new Error("multipart body without boundary");
    parseMultipart(body, b, out);
  }
  return out;
}
