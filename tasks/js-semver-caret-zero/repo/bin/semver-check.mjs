#!/usr/bin/env node
// semver-check RANGE VERSION...: print each version with whether it satisfies RANGE.
import { maxSatisfying, satisfies } from '../src/index.mjs';

const [range, ...versions] = process.argv.slice(2);
if (!range || versions.length === 0) {
  console.error('usage: semver-check RANGE VERSION...');
  process.exit(2);
}
try {
  for (const v of versions) console.log(`${satisfies(v, range) ? 'yes' : 'no '} ${v}`);
  console.log(`best: ${maxSatisfying(versions, range) ?? '(none)'}`);
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
