// The server's connection. Over stdio its writer sends a RawJson answer (rawJson.ts) as the bytes it holds: the
// references of an entity with tens of thousands of mentions are megabytes of JSON, which vscode-jsonrpc's encoder
// would otherwise make with JSON.stringify over an object per location. The extension starts the server over stdio
// for that reason (client/src/extension.ts). Other transports (--node-ipc, which serialises messages itself, --socket,
// --pipe) are vscode-languageserver's own.

import { inspect, type InspectOptions } from 'node:util';
import { ProposedFeatures, StreamMessageWriter, createConnection, type Connection, type Message, type MessageReader } from 'vscode-languageserver/node';
import { RawJson } from './rawJson';

export interface ServerConnection {
  connection: Connection;
  /** Whether a handler may answer with a RawJson to be sent as it is. */
  rawJson: boolean;
}

export function createServerConnection(argv: readonly string[] = process.argv): ServerConnection {
  if (!argv.slice(2).includes('--stdio')) return { connection: createConnection(ProposedFeatures.all), rawJson: false };
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: jsonEncoder });
  // process.stdin as a stream (its typings pair streams with streams, its code takes either for each): it then ends
  // the process when the client goes away, as it does for --stdio.
  const connection = createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, writer);
  // What vscode-languageserver does for --stdio and not when given the streams: stdout is the protocol, so the
  // console becomes log messages (a library's stray console.log must not corrupt the stream).
  const send = (level: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    try {
      connection.console[level](args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
    } catch {
      /* the connection is gone */
    }
  };
  console.log = console.debug = send('log');
  console.dir = (item: unknown, options?: InspectOptions) => send('log')(inspect(item, options));
  console.info = send('info');
  console.warn = send('warn');
  console.error = send('error');
  return { connection, rawJson: true };
}

const CLOSE = Buffer.from('}');

/** vscode-jsonrpc's application/json encoder, except that a RawJson result goes in as the bytes it holds. */
export const jsonEncoder = {
  name: 'application/json',
  encode(msg: Message, options: { charset?: string }): Promise<Uint8Array> {
    try {
      const charset = (options.charset ?? 'utf-8') as BufferEncoding;
      if ((msg as { result?: unknown }).result instanceof RawJson) {
        const { result, ...rest } = msg as Message & { result: RawJson };
        const head = JSON.stringify(rest);
        const before = Buffer.from(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"result":`, charset);
        const bytes = result.bytes;
        if (before.length <= result.frame) {
          // In place, around the answer: a copy of megabytes into a new buffer cost milliseconds, most of them the
          // fresh pages' faults.
          const whole = new Uint8Array(bytes.buffer, bytes.byteOffset - before.length, before.length + bytes.length + 1);
          whole.set(before, 0);
          whole[whole.length - 1] = CLOSE[0];
          return Promise.resolve(whole);
        }
        return Promise.resolve(Buffer.concat([before, bytes, CLOSE]));
      }
      return Promise.resolve(Buffer.from(JSON.stringify(msg, undefined, 0), charset));
    } catch (e) {
      return Promise.reject(e);
    }
  },
};
