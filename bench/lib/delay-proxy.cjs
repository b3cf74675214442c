// A TCP proxy that adds a network delay between the chat server and its database, as when the database
// is reached over a network (Azure SQL in the same region: about a millisecond per round trip).
// Usage: node delay-proxy.cjs <listen port> <target host> <target port> <delay ms>
// Every chunk from the server to the database is held `delay ms` before it is forwarded (order kept),
// so each request/answer exchange costs at least that much more. Node's timers have a granularity of one
// millisecond, so the delay is applied in one direction only; `bench/send-latency.ts` measures what it
// actually adds (a `SELECT 1` through the proxy and directly) and prints it.
'use strict';
const { createServer, connect } = require('node:net');

const [listenPort, targetHost, targetPort, delayMs] = process.argv.slice(2);
const delay = Number(delayMs);

createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect({ host: targetHost, port: Number(targetPort), noDelay: true });
  const queue = [];
  let timer = null;
  const flush = () => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now) upstream.write(queue.shift().chunk);
    if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0].due - now));
  };
  client.on('data', (chunk) => {
    queue.push({ chunk, due: performance.now() + delay });
    if (!timer) timer = setTimeout(flush, delay);
  });
  upstream.on('data', (chunk) => client.write(chunk));
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
}).listen(Number(listenPort), '127.0.0.1', () => console.log('listening'));
