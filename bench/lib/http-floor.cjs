// The HTTP floor: a bare node:http server (no framework, no auth, no SQL) that answers every request
// with a fixed JSON body of the size given, so that the benchmark can show what an HTTP round trip on
// this machine costs by itself. Usage: node http-floor.cjs <port> <bytes>
'use strict';
const { createServer } = require('node:http');

const [port, bytes] = process.argv.slice(2).map(Number);
const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(Math.max(0, bytes - 14)) }));
createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(port, '127.0.0.1', () => console.log('listening'));
