// Replay order for a batch of events.

/** Events sorted oldest first, so projections see them in the order they happened. */
export function sortForReplay(events) {
  return [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
}
