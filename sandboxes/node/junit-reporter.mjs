// JUnit XML reporter for `node --test`, shipped in Routr's `node` sandbox image.
//
// Node's built-in `junit` reporter sets classname="test" on every case, so two
// tests with the same name in different files or suites collide once a grader keys
// results by `classname::name`. This reporter makes ids unique and stable:
//   classname = the test file, relative to the working directory
//   name      = the suite path and test name joined by " > "
// A file that fails before defining any test (syntax or import error) becomes one
// failing case named after the file, so a broken run never yields an empty report.
// What a test file printed to stdout and its tests' diagnostics (t.diagnostic) are kept
// (the tail) as the suite's <system-out>: that is where Routr's canary tests show their
// per-grading nonce.
//
// The report is sealed: once the last line is out, its SHA-256 goes to file descriptor 3,
// a pipe to the host that nothing else writes to. A rewrite after the run (a detached
// process) no longer matches the seal and a second seal makes the run tampered.
// Only `node:` built-ins are imported, named by absolute path, so nothing in /work
// (node_modules, package.json "imports") can stand in for them.
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import path from 'node:path';

const SEAL_FD = 3;
const STDOUT_TAIL = 16 * 1024;

function escapeXml(text) {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function relativeFile(file) {
  if (!file) return '(unknown file)';
  const plain = file.startsWith('file://') ? new URL(file).pathname : file;
  return path.relative(process.cwd(), plain) || plain;
}

function describeError(error) {
  if (!error) return { message: 'failed', text: '' };
  const cause = error.cause ?? error;
  const message = (cause && cause.message) || String(cause);
  const text = (cause && cause.stack) || String(cause);
  return { message: message.split('\n').filter(Boolean).join(' ').slice(0, 500), text };
}

export default async function* junitReporter(source) {
  const stacks = new Map(); // file -> names of the enclosing tests, by nesting level
  const cases = new Map(); // file -> [{ name, seconds, outcome, message, text }]
  const stderr = new Map(); // file -> what the test process wrote to stderr
  const stdout = new Map(); // file -> the tail of what the test process wrote to stdout

  for await (const event of source) {
    if (event.type === 'test:stderr') {
      const file = relativeFile(event.data.file);
      stderr.set(file, (stderr.get(file) ?? '') + event.data.message);
      continue;
    }
    // A test's own diagnostics (t.diagnostic) have a file; the run's summary has none.
    const perFile = event.type === 'test:diagnostic' && event.data.file;
    if (event.type === 'test:stdout' || perFile) {
      const file = relativeFile(event.data.file);
      const text = event.type === 'test:stdout' ? event.data.message : `${event.data.message}\n`;
      stdout.set(file, ((stdout.get(file) ?? '') + text).slice(-STDOUT_TAIL));
      continue;
    }
    if (event.type !== 'test:start' && event.type !== 'test:pass' && event.type !== 'test:fail') {
      continue;
    }
    const data = event.data;
    const file = relativeFile(data.file);
    const stack = stacks.get(file) ?? [];
    stacks.set(file, stack);
    if (event.type === 'test:start') {
      stack.length = data.nesting;
      stack.push(data.name);
      continue;
    }
    const details = data.details ?? {};
    const isFileWrapper = data.nesting === 0 && data.name === data.file;
    if (details.type === 'suite' && event.type === 'test:pass') continue;
    if (isFileWrapper && event.type === 'test:pass') continue;
    const trail = stack.slice(0, data.nesting);
    const name = isFileWrapper ? '(file)' : [...trail, data.name].join(' > ');
    const list = cases.get(file) ?? [];
    cases.set(file, list);
    // A failing suite or file is only worth a case when its failure is its own
    // (a hook or load error), not the roll-up of failing children already listed.
    const failureType = details.error?.failureType;
    if ((details.type === 'suite' || isFileWrapper) && failureType === 'subtestsFailed') continue;
    const entry = { name, seconds: (details.duration_ms ?? 0) / 1000, outcome: 'passed' };
    if (event.type === 'test:fail') {
      const { message, text } = describeError(details.error);
      Object.assign(entry, { outcome: 'failed', message, text });
      if (isFileWrapper && stderr.has(file)) entry.text += `\n${stderr.get(file)}`;
    } else if (data.skip !== undefined || data.todo !== undefined) {
      entry.outcome = 'skipped';
    }
    list.push(entry);
  }

  const seal = createHash('sha256');
  const emit = (text) => {
    seal.update(text, 'utf8');
    return text;
  };
  yield emit('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n');
  for (const [file, list] of cases) {
    const failures = list.filter((c) => c.outcome === 'failed').length;
    const skipped = list.filter((c) => c.outcome === 'skipped').length;
    const seconds = list.reduce((sum, c) => sum + c.seconds, 0);
    yield emit(`  <testsuite name="${escapeXml(file)}" tests="${list.length}" failures="${failures}"` +
      ` errors="0" skipped="${skipped}" time="${seconds.toFixed(6)}">\n`);
    for (const c of list) {
      const head = `    <testcase classname="${escapeXml(file)}" name="${escapeXml(c.name)}"` +
        ` time="${c.seconds.toFixed(6)}"`;
      if (c.outcome === 'passed') {
        yield emit(`${head}/>\n`);
      } else if (c.outcome === 'skipped') {
        yield emit(`${head}><skipped/></testcase>\n`);
      } else {
        yield emit(`${head}>\n      <failure message="${escapeXml(c.message)}">` +
          `${escapeXml(c.text)}</failure>\n    </testcase>\n`);
      }
    }
    if (stdout.has(file)) {
      yield emit(`    <system-out>${escapeXml(stdout.get(file))}</system-out>\n`);
    }
    yield emit('  </testsuite>\n');
  }
  yield emit('</testsuites>\n');
  try {
    writeSync(SEAL_FD, `routr-seal sha256=${seal.digest('hex')}\n`);
  } catch {
    // not run by Routr's grader (no pipe on fd 3): the report is simply unsealed
  }
}
