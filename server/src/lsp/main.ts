// The entry of dist/server.js. `createConnection` picks the transport from the command line: --stdio, --node-ipc,
// --socket=<port> or --pipe=<name>, as LSP clients pass it.

import { createServerConnection } from './connection';
import { startServer } from './server';

const { connection, rawJson } = createServerConnection();

// A bug must cost one answer, not the server: log it and keep serving.
process.on('uncaughtException', (e) => {
  try {
    connection.console.error(`Unexpected error: ${e?.stack ?? String(e)}`);
  } catch {
    /* nothing left to tell */
  }
});
process.on('unhandledRejection', (e) => {
  try {
    connection.console.error(`Unexpected rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } catch {
    /* nothing left to tell */
  }
});

startServer(connection, { rawJson });
