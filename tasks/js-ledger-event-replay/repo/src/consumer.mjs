// The bus consumer loop: pull batches, fold them, snapshot now and then.
import fs from 'node:fs/promises';
import path from 'node:path';
import { EventStore } from './store.mjs';

/** Snapshots kept in one JSON file, replaced atomically (write, then rename). */
export class FileSnapshots {
  constructor(file) {
    this.file = file;
  }

  async save(snapshot) {
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    await fs.writeFile(temp, JSON.stringify(snapshot));
    await fs.rename(temp, this.file);
  }

  /** The saved snapshot, or null when there is none yet. */
  async load() {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if (error.code === 'ENOENT') return null;
      throw error;
    }
  }
}

/** A store restored from the last snapshot, or an empty one. */
export async function restoreOrCreate(snapshots) {
  const snapshot = await snapshots.load();
  return snapshot ? EventStore.fromSnapshot(snapshot) : new EventStore();
}

/**
 * Fold every batch `source` yields (an async iterable of event arrays) into `store`,
 * saving a snapshot every `snapshotEvery` batches and once at the end.
 */
export async function consume({ source, store, snapshots = null, snapshotEvery = 50, signal } = {}) {
  let batches = 0;
  for await (const batch of source) {
    if (signal?.aborted) break;
    store.ingest(batch);
    batches += 1;
    if (snapshots && batches % snapshotEvery === 0) await snapshots.save(store.snapshot());
  }
  if (snapshots && batches % snapshotEvery !== 0) await snapshots.save(store.snapshot());
  return { batches, applied: store.applied };
}
