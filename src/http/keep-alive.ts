/**
 * Idle keep-alive sockets stay open longer than any common client or proxy keeps them (Node's default is 5 s;
 * AWS load balancers idle out at 60 s). When the server closes first, a client that picks the socket for its
 * next request at that moment gets ECONNRESET; with the server outlasting the client, the client always
 * decides. Headers must be allowed a little longer than the keep-alive window (Node requires it).
 */
import type { Server } from 'node:http';

export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function applyKeepAlive(server: Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
