// The event store: folds incoming batches into every projection and snapshots them.
import { checkEvent } from './events.mjs';
import { sortForReplay } from './ordering.mjs';
import { PROJECTIONS } from './projections.mjs';

export class EventStore {
  constructor(projections = PROJECTIONS) {
    this.projections = projections;
    this.states = Object.fromEntries(Object.keys(projections).map((name) => [name, {}]));
    this.applied = 0; // events folded so far
    this.skip = 0; // events to pass over after a restore (already in the snapshot)
  }

  /** Fold a batch of events (as delivered by the bus) into the projections. */
  ingest(events) {
    for (const event of sortForReplay(events.map((e) => checkEvent(e)))) {
      if (this.skip > 0) {
        this.skip -= 1;
        continue;
      }
      this.apply(event);
    }
    return this;
  }

  apply(event) {
    for (const [name, reducer] of Object.entries(this.projections)) {
      this.states[name] = reducer(this.states[name], event);
    }
    this.applied += 1;
  }

  state(name) {
    if (!Object.hasOwn(this.states, name)) throw new Error(`unknown projection ${JSON.stringify(name)}`);
    return this.states[name];
  }

  snapshot() {
    return JSON.parse(JSON.stringify({ version: 1, states: this.states, applied: this.applied }));
  }

  static fromSnapshot(snapshot, projections = PROJECTIONS) {
    if (snapshot?.version !== 1) throw new Error('unsupported snapshot version');
    const store = new EventStore(projections);
    store.states = structuredClone(snapshot.states);
    store.applied = snapshot.applied;
    store.skip = snapshot.applied;
    return store;
  }
}
