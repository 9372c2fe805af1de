/**
 * A child process of the attack test: opens N connections to 127.0.0.1:PORT that never send a byte and prints
 * {"settled", "connected", "closed"} counts every 100 ms (closed: by the server), for WAIT_MS. Its own process so
 * its open-files limit can be raised with `ulimit -n` (see server.ts).
 *
 * node dist/test/helpers/idle-clients.js PORT N WAIT_MS
 */
import { connect } from 'node:net';

const [port, n, waitMs] = process.argv.slice(2).map(Number) as [number, number, number];
let settled = 0,
  connected = 0,
  closed = 0;
for (let i = 0; i < n; i++) {
  const s = connect(port, '127.0.0.1');
  let ok = false;
  s.on('connect', () => {
    ok = true;
    connected++;
    settled++;
  });
  s.on('data', () => undefined); // reads, so the server's close is seen
  s.on('error', () => undefined);
  s.on('close', () => {
    if (ok) closed++;
    else settled++;
  });
}
const report = () => process.stdout.write(JSON.stringify({ settled, connected, closed }) + '\n');
setInterval(report, 100);
setTimeout(() => {
  report();
  process.exit(0);
}, waitMs);
