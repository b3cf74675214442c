// The framework floor (issue 19): a bare Nest application on the same adapter as the API
// (@nestjs/platform-express), or on Fastify's (@nestjs/platform-fastify, to see what a move of the API
// would save), with no guards, pipes, interceptors, filters, middleware or logging,
// answering GET /history and GET /list by running the endpoint's captured SQL (bench/lib/capture-sql.cjs)
// with better-sqlite3 prepared statements and returning the last statement's rows as JSON. Beside the
// bare node:http row and the real endpoint, it shows what Nest + Express cost by themselves and what
// the module adds on top. Plain CommonJS without decorator syntax, so it runs without a build.
// Usage: node nest-floor.cjs <port> <sqlite file> <statements.json> [express|fastify]   (prints "listening" when ready)
'use strict';
const { readFileSync } = require('node:fs');

const [port, file, statementsFile, adapter = 'express'] = process.argv.slice(2);
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const Database = require('better-sqlite3');

const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SET TRANSACTION|SAVEPOINT|RELEASE)/i;
const db = new Database(file, { readonly: true });
db.pragma('busy_timeout = 5000');
const captured = JSON.parse(readFileSync(statementsFile, 'utf8'));

/** Runs an endpoint's statements in order (prepared once) and answers the last one's rows. */
function endpoint(statements) {
  const prepared = (statements ?? []).filter((s) => !TRANSACTION_CONTROL.test(s.sql)).map((s) => ({ stmt: db.prepare(s.sql), parameters: s.parameters }));
  return () => {
    let rows = [];
    for (const { stmt, parameters } of prepared) rows = stmt.reader ? stmt.all(...parameters) : [stmt.run(...parameters)];
    return { rows };
  };
}

class FloorController {
  constructor() {
    this.historyPage = endpoint(captured.newest);
    this.listPage = endpoint(captured.list);
  }
  history() {
    return this.historyPage();
  }
  list() {
    return this.listPage();
  }
}
Controller()(FloorController);
for (const name of ['history', 'list']) {
  Get(name)(FloorController.prototype, name, Object.getOwnPropertyDescriptor(FloorController.prototype, name));
}
class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

// Fastify serializes the returned object with JSON.stringify too (no response schema here), so the
// difference between the two rows is the adapters' routing and response handling.
const application =
  adapter === 'fastify'
    ? NestFactory.create(FloorModule, new (require('@nestjs/platform-fastify').FastifyAdapter)(), { logger: false, bodyParser: false })
    : NestFactory.create(FloorModule, { logger: false, bodyParser: false });
application
  .then((app) => app.listen(Number(port), '127.0.0.1'))
  .then(() => console.log('listening'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
