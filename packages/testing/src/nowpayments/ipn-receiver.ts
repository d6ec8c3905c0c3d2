import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the receiver got it: headers and the raw body text (signatures are over it). */
export interface ReceivedIpn {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** A local HTTP endpoint standing in for a merchant's ipn_callback_url, recording what arrives. */
export interface IpnReceiver {
  /** `http://127.0.0.1:<port>/ipn`; the path `/slow` answers after a second (delivery timeouts). */
  url: string;
  /** Every request, in order of arrival. */
  received: ReceivedIpn[];
  /** The status it answers with (default 200); set it to make deliveries fail. */
  status: number;
  close(): Promise<void>;
}

/** Starts an IPN receiver on a free local port (the emulator tests' merchant side). */
export async function startIpnReceiver(): Promise<IpnReceiver> {
  const receiver: IpnReceiver = { url: "", received: [], status: 200, close: async () => {} };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    receiver.received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString() });
    if (req.url === "/slow") await new Promise((r) => setTimeout(r, 1000));
    res.statusCode = receiver.status;
    res.end(receiver.status === 200 ? "ok" : "nope");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipn`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return receiver;
}
