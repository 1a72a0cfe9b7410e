// Delivery order -> replay order. The bus delivers at least once and reorders, so a
// batch's order means nothing: each stream is replayed by `seq`, each event id once.

/** Events grouped by stream and sorted by seq (a stable view of one batch). */
export function sortForReplay(events) {
  return [...events].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq));
}

/**
 * Turns deliveries into the exact sequence each stream was committed in: duplicates
 * (by id) are dropped, and an event waits until every earlier `seq` of its stream has
 * been released. Its state is plain data so it can be snapshotted.
 */
export class StreamSequencer {
  constructor(state = { seen: [], next: {}, pending: [] }) {
    this.seen = new Set(state.seen);
    this.next = { ...state.next }; // stream -> the seq it is waiting for
    this.pending = new Map(); // stream -> Map(seq -> event)
    for (const event of state.pending) this.#hold(event);
  }

  #hold(event) {
    if (!this.pending.has(event.stream)) this.pending.set(event.stream, new Map());
    this.pending.get(event.stream).set(event.seq, event);
  }

  /** Accept one delivery; return the events that are now ready, in replay order. */
  offer(event) {
    if (this.seen.has(event.id)) return [];
    this.seen.add(event.id);
    const expected = this.next[event.stream] ?? 1;
    if (event.seq < expected) return []; // that position was already replayed
    const waiting = this.pending.get(event.stream);
    if (waiting?.has(event.seq)) return []; // a second event claiming the same position
    this.#hold(event);
    return this.#release(event.stream);
  }

  #release(stream) {
    const waiting = this.pending.get(stream);
    const ready = [];
    let expected = this.next[stream] ?? 1;
    while (waiting.has(expected)) {
      ready.push(waiting.get(expected));
      waiting.delete(expected);
      expected += 1;
    }
    this.next[stream] = expected;
    if (waiting.size === 0) this.pending.delete(stream);
    return ready;
  }

  pendingCount() {
    let count = 0;
    for (const waiting of this.pending.values()) count += waiting.size;
    return count;
  }

  toJSON() {
    const pending = [];
    for (const waiting of this.pending.values()) pending.push(...waiting.values());
    return { seen: [...this.seen], next: { ...this.next }, pending };
  }
}
