/**
 * A webhook endpoint on loopback for the notifier's tests: it records every request and answers each
 * with the next scripted reply (the last one repeats): a status after a delay, extra headers, or no
 * answer at all (`hang`), as Slack, Teams or a slow proxy might.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkReply {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the connection stays open until the sink closes). */
  hang?: boolean;
}

interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface HttpSink {
  url: string;
  requests: SinkRequest[];
  close(): Promise<void>;
}

export async function startHttpSink(replies: readonly SinkReply[] = [{ status: 200 }]): Promise<HttpSink> {
  const requests: SinkRequest[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const reply = replies[Math.min(requests.length, replies.length - 1)] ?? { status: 200 };
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, at: Date.now() });
      open.add(response);
      response.on('close', () => open.delete(response));
      if (reply.hang) return;
      setTimeout(() => {
        response.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
        response.end(reply.body ?? 'ok');
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
