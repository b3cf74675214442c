// Preloaded into a benchmark server (`node -r`): records a V8 CPU profile of a chosen window, on
// request over the IPC channel the server was spawned with ({ cpuProfile: 'start' } and
// { cpuProfile: 'stop', path }), so that start-up and warm-up stay out of the profile. `--cpu-prof`
// would profile the whole life of the process and only writes on a clean exit, which Nest's shutdown
// hooks do not give on SIGTERM. Read the profiles with bench/profile-layers.ts.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

if (process.send && isMainThread) {
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || !('cpuProfile' in message)) return;
    const done = (reply) => process.send({ cpuProfile: reply });
    if (message.cpuProfile === 'start') {
      post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: message.intervalUs ?? 100 }))
        .then(() => post('Profiler.start'))
        .then(
          () => done('started'),
          (error) => done(`error: ${error.message}`),
        );
    } else if (message.cpuProfile === 'stop') {
      post('Profiler.stop')
        .then(({ profile }) => writeFileSync(message.path, JSON.stringify(profile)))
        .then(
          () => done('written'),
          (error) => done(`error: ${error.message}`),
        );
    }
  });
  // The channel must not keep the server alive once Nest has closed it.
  process.channel.unref();
}
