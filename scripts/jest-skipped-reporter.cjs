/**
 * After jest's summary, lists the skipped tests and why: jest itself only counts them ("7 skipped").
 * The reason is the skipped block's own title (every conditional skip in this repository names what
 * it needs), so the list reads e.g. "concurrency (needs PostgreSQL or MariaDB; ...): 6 tests".
 */
class SkippedTestsReporter {
  onRunComplete(_contexts, results) {
    const lines = summarizeSkipped(results.testResults);
    if (lines.length > 0) console.log(`\n${lines.join('\n')}\n`);
  }
}

/** Groups the skipped (pending) tests by file and by their outermost block. */
function summarizeSkipped(files) {
  const groups = new Map();
  let total = 0;
  for (const file of files) {
    for (const test of file.testResults) {
      if (test.status !== 'pending') continue;
      total += 1;
      const relative = file.testFilePath.replace(`${process.cwd()}/`, '');
      const key = `${relative}: ${test.ancestorTitles[0] ?? test.title}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
  }
  if (total === 0) return [];
  return [
    `Skipped ${total} test${total === 1 ? '' : 's'}, and why:`,
    ...[...groups].map(([key, count]) => `  ${key} (${count} test${count === 1 ? '' : 's'})`),
  ];
}

module.exports = SkippedTestsReporter;
module.exports.summarizeSkipped = summarizeSkipped;
