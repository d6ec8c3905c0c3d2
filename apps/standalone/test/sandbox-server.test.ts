import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN, SUBSCRIBER } from "../demo/story.ts";
import { type Sandbox, startSandbox } from "../sandbox/start.ts";
import type { SandboxState } from "../sandbox/view.ts";

let sandbox: Sandbox;
let host: string;

beforeAll(async () => {
  sandbox = await startSandbox({ confirmationMs: 300 });
  host = new URL(sandbox.origin).host;
});

afterAll(async () => {
  await sandbox?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send any Host, Origin or cookie a hostile client could. */
function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, sandbox.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", headers: { host, ...options.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const cookie = () => `telepay_sandbox=${sandbox.key}`;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(path, {
    method: "POST",
    headers: {
      cookie: cookie(),
      origin: sandbox.origin,
      "content-type": "application/json",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const state = async (): Promise<SandboxState> =>
  JSON.parse((await request("/api/state", { headers: { cookie: cookie() } })).body);
const samMessages = () => sandbox.tg.messages(SUBSCRIBER.id).length;

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("who may use the sandbox page", () => {
  it("turns the printed key into an HttpOnly SameSite=Strict cookie and drops it from the URL", async () => {
    const res = await request(new URL(sandbox.url).pathname + new URL(sandbox.url).search);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/");
    expect(String(res.headers["set-cookie"])).toMatch(
      new RegExp(`^telepay_sandbox=${sandbox.key}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    const page = await request("/", { headers: { cookie: cookie() } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/assets/sandbox.js"></script>');
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);
  });

  it("refuses anyone without the key, or with a wrong one", async () => {
    expect((await request("/")).status).toBe(401);
    expect((await request("/?key=wrong")).status).toBe(401);
    expect((await request("/api/state")).status).toBe(401);
    expect((await request("/api/state", { headers: { cookie: "telepay_sandbox=wrong" } })).status).toBe(401);
    expect((await request("/payment/?iid=1")).status).toBe(401);
  });

  it("answers only as 127.0.0.1 or localhost (no DNS rebinding)", async () => {
    const res = await request("/api/state", { headers: { cookie: cookie(), host: "evil.example" } });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain("Olivia");
  });

  it("takes state-changing requests only from its own page, and changes nothing otherwise", async () => {
    const before = samMessages();
    const say = { as: "subscriber", text: "/start" };
    expect((await post("/api/say", say, { origin: "http://evil.example" })).status).toBe(403);
    expect((await post("/api/say", say, { origin: "null" })).status).toBe(403);
    const noOrigin = await request("/api/say", {
      method: "POST",
      headers: { cookie: cookie(), "content-type": "application/json" },
      body: JSON.stringify(say),
    });
    expect(noOrigin.status).toBe(403);
    expect((await post("/api/say", say, { cookie: "" })).status).toBe(401);
    expect(samMessages()).toBe(before);
  });
});

describe("bad input gets a clear error and changes nothing", () => {
  it("refuses other people, empty or oversized text, non-JSON and bodies over 16 KiB", async () => {
    const before = samMessages();
    const mallory = await post("/api/say", { as: "mallory", text: "hi" });
    expect(mallory.status).toBe(400);
    expect(JSON.parse(mallory.body).error.message).toMatch(/^as: /);
    expect((await post("/api/say", { as: "subscriber", text: "   " })).status).toBe(400);
    expect((await post("/api/say", { as: "subscriber", text: "x".repeat(4097) })).status).toBe(400);
    expect((await post("/api/say", { as: "subscriber", text: "hi", extra: 1 })).status).toBe(400);
    expect((await post("/api/say", "{not json")).status).toBe(400);
    expect(
      (
        await post("/api/say", "as=subscriber&text=hi", {
          "content-type": "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(415);
    expect((await post("/api/say", { as: "subscriber", text: "x".repeat(17_000) })).status).toBe(413);
    expect(samMessages()).toBe(before);
  });

  it("lets people tap only buttons they can see", async () => {
    const post0 = sandbox.tg.messages(OPEN.id).find((m) => m.reply_markup)!;
    const tap = { as: "subscriber", chatId: OPEN.id, messageId: post0.message_id, row: 0, col: 0 };
    const before = sandbox.tg.revision;
    // Olivia's private chat, a button that is not there, a message that does not exist.
    expect((await post("/api/tap", { ...tap, chatId: 5_100_000_001, messageId: 1 })).status).toBe(403);
    expect((await post("/api/tap", { ...tap, row: 7 })).status).toBe(404);
    expect((await post("/api/tap", { ...tap, messageId: 99_999 })).status).toBe(404);
    expect((await post("/api/tap", { ...tap, col: -1 })).status).toBe(400);
    expect(sandbox.tg.revision).toBe(before);
  });
});

describe("playing the story through the API", () => {
  it("Sam writes, taps the tier post, pays once — a second payment is refused", async () => {
    const escaped = await post("/api/say", { as: "subscriber", text: "<img src=x onerror=alert(1)>" });
    expect(escaped.status).toBe(200);
    const mine = (await state()).people
      .find((p) => p.role === "subscriber")!
      .messages.filter((m) => !m.fromBot)
      .at(-1)!;
    expect(mine.html).toBe("&#60;img src=x onerror=alert(1)&#62;");

    const tierPost = (await state()).channels
      .find((c) => c.role === "open")!
      .posts.find((p) => p.buttons.length)!;
    expect(tierPost.buttons.flat().map((b) => [b.text, b.kind])).toEqual([
      ["Monthly — $9.99", "start"],
      ["Quarterly — $24.99", "start"],
    ]);
    expect(
      (await post("/api/tap", { as: "subscriber", chatId: OPEN.id, messageId: tierPost.id, row: 0, col: 0 }))
        .status,
    ).toBe(200);
    const offer = await until("the offer", () =>
      sandbox.tg
        .messages(SUBSCRIBER.id)
        .find((m) => JSON.stringify(m.reply_markup ?? "").includes("Continue")),
    );
    const tap = await post("/api/tap", {
      as: "subscriber",
      chatId: SUBSCRIBER.id,
      messageId: offer.message_id,
      row: 0,
      col: 0,
    });
    expect(tap.status).toBe(200);
    const invoice = await until("the invoice", () => sandbox.np.invoices[0]);
    expect(invoice.invoice_url).toBe(`${sandbox.origin}/payment/?iid=${invoice.id}`);
    const checkout = await request(`/payment/?iid=${invoice.id}`, { headers: { cookie: cookie() } });
    expect(checkout.body).toContain("Pay 9.99 USD");

    const pay = () =>
      request("/payment/pay", {
        method: "POST",
        headers: {
          cookie: cookie(),
          origin: sandbox.origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: `iid=${invoice.id}`,
      });
    const [first, second] = await Promise.all([pay(), pay()]);
    expect([first.status, second.status].sort()).toEqual([303, 409]);
    expect([first.body, second.body].join()).toContain("This invoice is being paid already.");
    const third = await pay();
    expect(third.status).toBe(409);
    expect(third.body).toContain("This invoice is finished already.");
    expect(sandbox.np.ipns.map((i) => [i.payload.payment_status, i.status])).toEqual([
      ["waiting", 200],
      ["confirming", 200],
      ["finished", 200],
    ]);
    expect((await request("/payment/?iid=123", { headers: { cookie: cookie() } })).status).toBe(404);
  });
});
