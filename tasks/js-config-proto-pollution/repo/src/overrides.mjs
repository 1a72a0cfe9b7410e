// Command-line overrides: `--set a.b=value` (or `--set=a.b=value`), parsed to a layer.
import { ConfigError } from './errors.mjs';
import { setPath } from './paths.mjs';

function parseValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function parseOverrides(argv) {
  const layer = {};
  for (let i = 0; i < argv.length; i += 1) {
    let assignment;
    if (argv[i] === '--set') {
      assignment = argv[i + 1];
      i += 1;
    } else if (argv[i].startsWith('--set=')) {
      assignment = argv[i].slice('--set='.length);
    } else {
      continue;
    }
    const eq = assignment === undefined ? -1 : assignment.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${assignment ?? ''}`, 'expected PATH=VALUE');
    setPath(layer, assignment.slice(0, eq), parseValue(assignment.slice(eq + 1)));
  }
  return layer;
}
