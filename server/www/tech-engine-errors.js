/*
 * tech-engine-errors.js: the one error the technician app's protocol
 * engine throws, DeviceError {code, message}.
 *
 * code is always a word a program can branch on: a code of PROTOCOL.md
 * section 9 the server sent (invalid_code, device_revoked, stale_batch …),
 * one of the device's own codes for a reply that failed its checks
 * (too_large, malformed_envelope, unknown_key, bad_signature, wrong_type,
 * malformed_payload, wrong_signer, wrong_audience, rollback,
 * broken_chain, expired, unsealable), or one of the engine's: 'offline'
 * (the server could not be reached), 'not_enrolled', 'already_enrolled',
 * 'local_store' (the phone's own store failed) and, for an action refused before
 * it is recorded, the field's code (out_of_range, not_found,
 * invalid_summary).  message is a sentence for a person.
 *
 * tech-device.js re-exports DeviceError: it is part of the public API.
 */

export class DeviceError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'DeviceError';
    this.code = code;
    this.transient = false; // set for a failure a later retry may cure
  }
}

/* A failure after which the same request may succeed later (section 10:
 * no network, a timeout, 429 and 5xx). */
export function isTransient(error) {
  return error instanceof DeviceError && (error.transient || error.code === 'offline');
}

/* A DeviceError marked transient. */
export function transientError(code, message) {
  const error = new DeviceError(code, message);
  error.transient = true;
  return error;
}

/* Any thrown value as a DeviceError: IndexedDB's failures (DOMExceptions:
 * a full disk, a store closed under us) become local_store, anything else
 * (a bug) internal. */
export function asDeviceError(error) {
  if (error instanceof DeviceError) return error;
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) {
    const full = error.name === 'QuotaExceededError';
    return new DeviceError('local_store', full
      ? 'The phone has no room left to store the app\'s data.'
      : `The phone's store failed: ${error.message}`);
  }
  return new DeviceError('internal', String((error && error.message) || error));
}
