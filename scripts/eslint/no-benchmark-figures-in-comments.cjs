'use strict';

/**
 * ESLint rule: no benchmark figures in code comments. A measured duration or rate in a comment goes
 * stale the moment the code or the machine changes, and nothing checks it; the comment should say why in
 * words and point to docs/performance-log.md, where figures are dated and tied to a machine and a commit.
 *
 * A figure is a number followed by a unit of time below the second or of throughput: `0.25 ms`, `~130ms`,
 * `0.9 CPU ms`, `620 µs`, `1,000 msg/s`, `7,055 req/s`, `80 MB/s`. Configured values are no exception
 * (name the constant instead: its value lives in the code). Seconds are not matched: back-off schedules
 * and timeouts in seconds describe behaviour, and benchmark figures are not written in them.
 */
const FIGURE = /(?<![\p{L}\p{N}_.,])\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:CPU\s)?(?:ms|µs|us|ns|msg\/s|req\/s|[KMG]B\/s)(?![\p{L}\p{N}_])/gu;

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Disallow benchmark figures (durations below a second, rates) in comments' },
    schema: [],
    messages: {
      figure: 'Benchmark figure "{{figure}}" in a comment: say why in words and put the measurement in docs/performance-log.md.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      Program() {
        for (const comment of sourceCode.getAllComments()) {
          // `//` and `/*` both put the comment's value two characters after its start.
          const start = comment.range[0] + 2;
          for (const match of comment.value.matchAll(FIGURE)) {
            const from = start + match.index;
            context.report({
              loc: { start: sourceCode.getLocFromIndex(from), end: sourceCode.getLocFromIndex(from + match[0].length) },
              messageId: 'figure',
              data: { figure: match[0] },
            });
          }
        }
      },
    };
  },
};
