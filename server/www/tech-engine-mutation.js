/*
 * tech-engine-mutation.js: a technician's action as a Mutation
 * (PROTOCOL.md section 7), checked against the protocol's published
 * limits (section 8a) before it is recorded.
 *
 * kind is the Mutation oneof field's name ('enRoute', 'arrive', 'note',
 * 'partsUsed', 'warranty', 'quote', 'outcome', 'signOff', 'quoteAnswer')
 * and body its
 * plain object, camelCase, enums by name.  buildMutation() gives the
 * encoded Mutation (what is sent, byte for byte) and the body as the UI
 * reads it back (every default filled).  An action the server could
 * only refuse is refused here at once with the same code (out_of_range,
 * invalid_summary, unsupported_mutation), so the technician sees it while
 * still on site; the server remains the judge of everything else.
 */
import { loaded } from './tech-libs.js';
import { DeviceError } from './tech-engine-errors.js';
import { hash32, own, sameBytes, utf8 } from './tech-wire.js';

const TYPES = {
  enRoute: 'EnRoute', arrive: 'Arrive', note: 'Note', partsUsed: 'PartsUsed',
  warranty: 'WarrantyDecision', quote: 'Quote', outcome: 'VisitOutcome', signOff: 'SignOff',
  quoteAnswer: 'QuoteAnswer',
};
export const KINDS = Object.keys(TYPES);
const BODY = { longs: Number, enums: String, defaults: true, arrays: true, objects: true };

function bad(message) {
  throw new DeviceError('out_of_range', message);
}

const bytesOf = (text) => utf8(text || '').length;

function textIn(text, min, max, what) {
  if (text !== undefined && text !== null && typeof text !== 'string') bad(`${what} must be text.`);
  const n = bytesOf(text);
  if (n < min || n > max) bad(min ? `${what} must be ${min} to ${max} bytes long.` : `${what} must be at most ${max} bytes long.`);
}

function countIn(list, min, max, what) {
  const n = (list || []).length;
  if (n < min || n > max) bad(`${what}: ${min} to ${max}, not ${n}.`);
}

function numberIn(value, min, max, what) {
  if (!Number.isInteger(value) || value < min || value > max) bad(`${what} must be ${min} to ${max}.`);
}

function checkParts(parts, min) {
  countIn(parts, min, 100, 'Parts');
  for (const p of parts || []) {
    numberIn(p.quantity, 1, 1000, 'A part\'s quantity');
    textIn(p.serial, 0, 100, 'A serial number');
    textIn(p.faultySerial, 0, 100, 'A serial number');
  }
}

function oneOf(value, names, what) {
  if (!names.includes(value)) bad(`${what} must be one of ${names.join(', ')}.`);
}

/* The checks of section 8a, kind by kind (b is the normalised body). */
const CHECKS = {
  enRoute() {},
  arrive() {},
  note(b) {
    textIn(b.text, 1, 4000, 'A note');
  },
  partsUsed(b) {
    checkParts(b.parts, 1);
  },
  warranty(b) {
    oneOf(b.outcome, ['IN_WARRANTY', 'REPLACEMENT'], 'The warranty decision');
  },
  quote(b) {
    countIn(b.lines, 1, 100, 'Quote lines');
    for (const line of b.lines) {
      oneOf(line.kind, ['PART', 'LABOUR', 'CALLOUT'], 'A quote line\'s kind');
      textIn(line.description, 1, 200, 'A quote line\'s description');
      numberIn(line.quantity, 1, 10000, 'A quote line\'s quantity');
      numberIn(line.unitPriceMinor, 0, 1e12, 'A quote line\'s price');
    }
  },
  outcome(b) {
    oneOf(b.outcome, ['COMPLETED', 'CUSTOMER_NOT_HOME', 'PARTS_MISSING', 'NEEDS_FOLLOW_UP', 'PARTLY_DONE'], 'The outcome');
    textIn(b.notes, 0, 4000, 'The visit\'s notes');
    checkParts(b.parts, 0);
    countIn(b.labour, 0, 20, 'Labour lines');
    for (const line of b.labour) {
      textIn(line.description, 1, 200, 'A labour line\'s description');
      numberIn(line.quantity, 1, 1000, 'A labour line\'s quantity');
      numberIn(line.unitPriceMinor, 0, 1e12, 'A labour line\'s price');
    }
  },
  signOff(b) {
    textIn(b.customerName, b.accepted ? 1 : 0, 200, 'The customer\'s name');
    if (b.signaturePng.length > 256 * 1024) bad('The signature image must be at most 256 KiB.');
    if (b.accepted) numberIn(b.rating, 1, 5, 'The rating');
    textIn(b.comment, 0, 1000, 'The comment');
    textIn(b.rejectReason, 0, 1000, 'The reason');
    if (b.summary.length > 16 * 1024) bad('The summary must be at most 16 KiB.');
  },
  quoteAnswer(b) {
    textIn(b.customerName, 1, 200, 'The customer\'s name');
    textIn(b.reason, 0, 1000, 'The reason');
  },
};

/* A sign-off's summary and its hash agree (the hash is filled in when
 * only the summary is given). */
function sealSummary(body) {
  if (!body.summary || !body.summary.length) return body;
  const hash = hash32(body.summary);
  if (body.summaryHash && body.summaryHash.length && !sameBytes(body.summaryHash, hash)) {
    throw new DeviceError('invalid_summary', 'The summary\'s hash is not the hash of the summary shown.');
  }
  return { ...body, summaryHash: hash };
}

/* Uint8Arrays that own their bytes (IndexedDB stores a view's whole buffer). */
function detach(value) {
  if (value instanceof Uint8Array) return own(value);
  if (Array.isArray(value)) return value.map(detach);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, detach(v)]));
  }
  return value;
}

/* The kind's message from the UI's body, normalised, or out_of_range. */
function kindMessage(kind, body) {
  const { pb } = loaded();
  if (!Object.hasOwn(TYPES, kind)) throw new DeviceError('unsupported_mutation', `No action is called ${kind}.`);
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    bad('The action\'s details must be an object.');
  }
  const Type = pb[TYPES[kind]];
  const given = kind === 'signOff' ? sealSummary(body || {}) : body || {};
  let message;
  try {
    message = Type.fromObject(given);
  } catch (error) {
    bad(`The action's details do not fit a ${TYPES[kind]}: ${error.message}.`);
  }
  const plain = detach(Type.toObject(message, BODY));
  CHECKS[kind](plain);
  return plain;
}

/*
 * {wire, body}: the encoded Mutation and the normalised body.
 * head: {mutationId, jobId, baseVersion, deviceTime}.
 */
export function buildMutation(kind, body, head) {
  const { pb } = loaded();
  const plain = kindMessage(kind, body);
  const mutation = pb.Mutation.fromObject({ ...head, [kind]: plain });
  return { wire: pb.Mutation.encode(mutation).finish(), body: plain };
}
