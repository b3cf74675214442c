/**
 * The first line `npm run demo` prints, on whatever Node runs npm: which Node that is, and that the
 * app does not use it. Kept to one line; `.npmrc` keeps npm's own engine warnings out of the screen.
 */
const npm = /npm\/(\S+)/.exec(process.env.npm_config_user_agent ?? '')?.[1] ?? '?';
console.log(
  `support-chat demo: npm ${npm} runs on Node ${process.version}; the app and every npm script run on the Node 24 this install puts in node_modules/.bin.`,
);
