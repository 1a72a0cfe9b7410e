#!/usr/bin/env node
// print-config [--env NAME] [--dir DIR] [--set PATH=VALUE]...: print the merged config.
import { ConfigError, loadConfig } from '../src/index.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
try {
  const config = loadConfig({
    dir: option('--dir', 'config'),
    env: option('--env', 'development'),
    argv,
    environ: process.env,
  });
  console.log(JSON.stringify(config, null, 2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`print-config: ${error.message}`);
  process.exit(2);
}
