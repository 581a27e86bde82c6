/**
 * A small SMTP server on loopback for the notifier's email tests (RFC 5321's commands as smtplib
 * sends them): EHLO/HELO, optional STARTTLS (with a certificate the test makes) and AUTH PLAIN/LOGIN,
 * MAIL, RCPT, DATA, RSET, NOOP, QUIT. It records each message with what was true when it arrived
 * (over TLS? authenticated as?), and can turn the first connections away with a 421 (transient).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

interface SmtpMessage {
  from: string;
  to: string[];
  data: string;
  tls: boolean;
  user?: string;
}

export interface SmtpSinkOptions {
  /** Offer STARTTLS with this certificate (see selfSignedCertificate). */
  tls?: { key: string; cert: string };
  /** Offer AUTH (PLAIN and LOGIN); any password is accepted. */
  auth?: boolean;
  /** Answer the first N connections with "421 try again later" and close them. */
  refuseFirst?: number;
}

export interface SmtpSink {
  port: number;
  messages: SmtpMessage[];
  connections: number;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1; the client trusts it through SSL_CERT_FILE=certFile. */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-smtp-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const sockets = new Set<Socket>();
  const sink: SmtpSink = { port: 0, messages: [], connections: 0, close: async () => undefined };
  const server: Server = createServer((raw) => {
    sink.connections += 1;
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    if (sink.connections <= (options.refuseFirst ?? 0)) {
      raw.end('421 sink busy, try again later\r\n');
      return;
    }
    serve(raw, false);
  });

  function serve(socket: Socket, secure: boolean): void {
    let buffer = '';
    let inData = false;
    let pendingLogin: 'user' | 'password' | undefined;
    let envelope: { from: string; to: string[] } = { from: '', to: [] };
    let user: string | undefined;
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    const decoder = new StringDecoder('utf8');
    if (!secure) reply('220 sluice-sink ESMTP');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer += decoder.write(chunk);
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          sink.messages.push({ ...envelope, data, tls: secure, ...(user ? { user } : {}) });
          envelope = { from: '', to: [] };
          reply('250 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (pendingLogin === 'user') {
          user = Buffer.from(line, 'base64').toString('utf8');
          pendingLogin = 'password';
          reply('334 UGFzc3dvcmQ6');
          continue;
        }
        if (pendingLogin === 'password') {
          pendingLogin = undefined;
          reply('235 authenticated');
          continue;
        }
        const [verb = '', ...rest] = line.split(' ');
        const argument = rest.join(' ');
        switch (verb.toUpperCase()) {
          case 'EHLO':
            reply('250-sluice-sink');
            if (options.tls && !secure) reply('250-STARTTLS');
            if (options.auth) reply('250-AUTH PLAIN LOGIN');
            reply('250 8BITMIME');
            break;
          case 'HELO':
            reply('250 sluice-sink');
            break;
          case 'STARTTLS': {
            if (!options.tls || secure) {
              reply('502 not offered');
              break;
            }
            reply('220 go ahead');
            socket.removeAllListeners('data');
            const upgraded = new TLSSocket(socket, { isServer: true, key: options.tls.key, cert: options.tls.cert });
            sockets.add(upgraded);
            serve(upgraded, true);
            return;
          }
          case 'AUTH': {
            const [mechanism = '', initial] = argument.split(' ');
            if (mechanism.toUpperCase() === 'PLAIN') {
              user = Buffer.from(initial ?? '', 'base64').toString('utf8').split('\u0000')[1];
              reply('235 authenticated');
            } else {
              pendingLogin = 'user';
              reply('334 VXNlcm5hbWU6');
            }
            break;
          }
          case 'MAIL':
            envelope.from = /<([^>]*)>/.exec(argument)?.[1] ?? '';
            reply('250 ok');
            break;
          case 'RCPT':
            envelope.to.push(/<([^>]*)>/.exec(argument)?.[1] ?? '');
            reply('250 ok');
            break;
          case 'DATA':
            inData = true;
            reply('354 end with <CRLF>.<CRLF>');
            break;
          case 'RSET':
            envelope = { from: '', to: [] };
            reply('250 ok');
            break;
          case 'NOOP':
            reply('250 ok');
            break;
          case 'QUIT':
            reply('221 bye');
            socket.end();
            return;
          default:
            reply('500 unknown command');
        }
      }
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.address() as AddressInfo).port;
  sink.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return sink;
}
