// PostgreSQL for the browser tests, which run in a loopback-only network namespace where
// the machine's 127.0.0.1:5432 can't be reached. Two halves meet at a Unix socket (the
// file system is shared): outside the namespace, `node pg-bridge.mjs <socket> <host> <port>`
// forwards each connection on the socket to the real server; inside, `innerBridge(socket)`
// listens on 127.0.0.1:5432 and forwards to the socket. Bytes pass unchanged.

import net from 'node:net';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function pipe(from, to) {
  from.pipe(to);
  to.pipe(from);
  const end = () => { from.destroy(); to.destroy(); };
  from.on('error', end);
  to.on('error', end);
  from.on('close', end);
  to.on('close', end);
}

/** Inside the namespace: 127.0.0.1:`port` → the Unix socket. Resolves with a close(). */
export async function innerBridge(socketPath, port = 5432) {
  const server = net.createServer((client) => pipe(client, net.connect(socketPath)));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [socketPath, host = '127.0.0.1', port = '5432'] = process.argv.slice(2);
  rmSync(socketPath, { force: true });
  const server = net.createServer((client) => pipe(client, net.connect(Number(port), host)));
  server.listen(socketPath, () => console.log(`pg-bridge: ${socketPath} -> ${host}:${port}`));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { server.close(); rmSync(socketPath, { force: true }); process.exit(0); });
}
