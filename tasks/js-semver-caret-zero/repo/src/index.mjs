export {
  InvalidVersionError,
  compareVersions,
  formatVersion,
  parseVersion,
  sortVersions,
} from './version.mjs';
export { InvalidRangeError, maxSatisfying, parseRange, satisfies } from './range.mjs';
