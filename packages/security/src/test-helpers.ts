/** Hono env that makes @hono/node-server's getConnInfo see `address` as the socket peer. */
export function socketEnv(address: string) {
  return {
    incoming: { socket: { remoteAddress: address, remoteFamily: address.includes(":") ? "IPv6" : "IPv4" } },
  };
}
