// Parsing and ordering of semantic versions (semver 2.0.0, build metadata ignored).

const VERSION_RE =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

export class InvalidVersionError extends Error {
  constructor(text) {
    super(`invalid semantic version: ${JSON.stringify(text)}`);
    this.name = 'InvalidVersionError';
  }
}

/** Parse "1.2.3-beta.1+build" into { major, minor, patch, prerelease: ['beta', 1] }. */
export function parseVersion(text) {
  const match = VERSION_RE.exec(String(text).trim());
  if (!match) throw new InvalidVersionError(text);
  const prerelease = match[4]
    ? match[4].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))
    : [];
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease,
  };
}

export function formatVersion(version) {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length ? `${core}-${version.prerelease.join('.')}` : core;
}

function comparePrereleasePart(a, b) {
  const aNum = typeof a === 'number';
  const bNum = typeof b === 'number';
  if (aNum && bNum) return Math.sign(a - b);
  if (aNum) return -1; // numeric identifiers sort before alphanumeric ones
  if (bNum) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1, ordering by semver precedence; accepts strings or parsed versions. */
export function compareVersions(left, right) {
  const a = typeof left === 'string' ? parseVersion(left) : left;
  const b = typeof right === 'string' ? parseVersion(right) : right;
  for (const key of ['major', 'minor', 'patch']) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (!a.prerelease.length || !b.prerelease.length) {
    // A release sorts after any of its pre-releases.
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    if (i >= a.prerelease.length) return -1;
    if (i >= b.prerelease.length) return 1;
    const order = comparePrereleasePart(a.prerelease[i], b.prerelease[i]);
    if (order) return order;
  }
  return 0;
}

export function sortVersions(versions) {
  return [...versions].sort(compareVersions);
}
