import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DatabaseHealth } from './database-health';

/**
 * `GET /health`, answered by the HTTP server before Express sees the request: it needs
 * no session, CSRF token, body parser, guard, pipe, logging or Nest routing, and a proxy
 * polling every instance (or a load test) should cost little more than a bare Node
 * server. 200 while the database answers, 503 when it does not (DatabaseHealth says how
 * often it is asked). `headers` are the security headers every other response carries,
 * worked out once.
 */
export function answerHealthFirst(
  server: Server,
  health: DatabaseHealth,
  headers: Record<string, string>,
): void {
  const answer = (status: 200 | 503, body: object) => {
    const text = JSON.stringify(body);
    const all = {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
    };
    return { status, text, headers: Object.entries(all).flat() };
  };
  const up = answer(200, { status: 'ok', database: 'up' });
  const down = answer(503, { status: 'error', database: 'down' });
  const send = (req: IncomingMessage, res: ServerResponse, isUp: boolean) => {
    const { status, text, headers: flat } = isUp ? up : down;
    res.writeHead(status, flat);
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  // The app (Express) is the server's request listener; it now runs after this one.
  const app = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // As Express routes it: any case, one trailing slash, any query.
    const path = (req.url ?? '').split('?', 1)[0].toLowerCase();
    const isHealth =
      (path === '/health' || path === '/health/') &&
      (req.method === 'GET' || req.method === 'HEAD');
    if (!isHealth) {
      for (const listener of app) {
        listener.call(server, req, res);
      }
      return;
    }
    const fresh = health.fresh();
    if (fresh !== undefined) {
      return send(req, res, fresh);
    }
    void health.isUp().then((isUp) => send(req, res, isUp));
  });
}
