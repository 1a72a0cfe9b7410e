// Parsing and checking ledger events (one JSON object per line).

export const EVENT_TYPES = Object.freeze(['AccountOpened', 'Deposited', 'Withdrawn', 'AccountClosed']);

export class EventFormatError extends Error {
  constructor(line, problem) {
    super(`line ${line}: ${problem}`);
    this.name = 'EventFormatError';
    this.line = line;
  }
}

export function checkEvent(event, line = 0) {
  if (event === null || typeof event !== 'object') throw new EventFormatError(line, 'not an object');
  for (const field of ['id', 'stream', 'type', 'at']) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      throw new EventFormatError(line, `"${field}" must be a non-empty string`);
    }
  }
  if (!Number.isInteger(event.seq) || event.seq < 1) {
    throw new EventFormatError(line, '"seq" must be an integer >= 1');
  }
  if (!EVENT_TYPES.includes(event.type)) {
    throw new EventFormatError(line, `unknown event type ${JSON.stringify(event.type)}`);
  }
  if (Number.isNaN(Date.parse(event.at))) {
    throw new EventFormatError(line, `"at" is not an ISO-8601 timestamp: ${event.at}`);
  }
  const amount = event.data?.amount;
  if ((event.type === 'Deposited' || event.type === 'Withdrawn') && !(Number.isInteger(amount) && amount > 0)) {
    throw new EventFormatError(line, '"data.amount" must be a positive integer (cents)');
  }
  return event;
}

export function parseLog(text) {
  const events = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let event;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new EventFormatError(index + 1, `invalid JSON (${error.message})`);
    }
    events.push(checkEvent(event, index + 1));
  });
  return events;
}
