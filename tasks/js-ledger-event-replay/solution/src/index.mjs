export { EVENT_TYPES, EventFormatError, checkEvent, parseLog } from './events.mjs';
export { StreamSequencer, sortForReplay } from './ordering.mjs';
export { PROJECTIONS, reportingDay } from './projections.mjs';
export { EventStore } from './store.mjs';
