// The event store: folds incoming batches into every projection and snapshots them.
import { checkEvent } from './events.mjs';
import { StreamSequencer, sortForReplay } from './ordering.mjs';
import { PROJECTIONS } from './projections.mjs';

export class EventStore {
  constructor(projections = PROJECTIONS) {
    this.projections = projections;
    this.states = Object.fromEntries(Object.keys(projections).map((name) => [name, {}]));
    this.sequencer = new StreamSequencer();
    this.applied = 0; // events folded so far
  }

  /**
   * Fold a batch of deliveries into the projections. Redeliveries are ignored and
   * an event waits for its stream's earlier events, even across batches.
   */
  ingest(events) {
    for (const event of sortForReplay(events.map((e) => checkEvent(e)))) {
      for (const ready of this.sequencer.offer(event)) this.apply(ready);
    }
    return this;
  }

  apply(event) {
    for (const [name, reducer] of Object.entries(this.projections)) {
      this.states[name] = reducer(this.states[name], event);
    }
    this.applied += 1;
  }

  /** Events received but held back until an earlier event of their stream arrives. */
  pendingCount() {
    return this.sequencer.pendingCount();
  }

  state(name) {
    if (!Object.hasOwn(this.states, name)) throw new Error(`unknown projection ${JSON.stringify(name)}`);
    return this.states[name];
  }

  snapshot() {
    return JSON.parse(
      JSON.stringify({ version: 2, states: this.states, applied: this.applied, sequencer: this.sequencer }),
    );
  }

  static fromSnapshot(snapshot, projections = PROJECTIONS) {
    if (snapshot?.version !== 2) throw new Error('unsupported snapshot version (take a new snapshot)');
    const store = new EventStore(projections);
    store.states = structuredClone(snapshot.states);
    store.applied = snapshot.applied;
    store.sequencer = new StreamSequencer(snapshot.sequencer);
    return store;
  }
}
