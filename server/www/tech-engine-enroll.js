/*
 * tech-engine-enroll.js: enrolling this phone (PROTOCOL.md section 5).
 *
 * The key pairs are made here, on the phone (Ed25519 to sign, X25519 to
 * open the sealed jobs), and kept only in its store; the EnrollRequest is
 * signed by the new key, and the reply is verified before anything in it
 * is trusted (tech-keyset.js), then its keyset pinned, all in one
 * transaction.  The code is taken as people type it: any case, spaces and
 * dashes.
 */
import { loaded } from './tech-libs.js';
import { DeviceError } from './tech-engine-errors.js';
import { exchange } from './tech-engine-http.js';
import { verifyEnrollReply, MAX_ENROLL_REPLY } from './tech-keyset.js';
import { storeEnrollment } from './tech-engine-apply.js';
import { signEnvelope, utf8 } from './tech-wire.js';
import { META, read } from './tech-db.js';

const MAX_CODE_BYTES = 64;
const MAX_NAME_BYTES = 100;

/* "k7q2-m9x4 p3t8" -> "K7Q2M9X4P3T8". */
export function normaliseCode(code) {
  return String(code || '').toUpperCase().replace(/[\s-]+/g, '');
}

function request(code, name, sign, box) {
  const { pb } = loaded();
  const payload = pb.EnrollRequest.encode(pb.EnrollRequest.create({
    code,
    deviceSignPk: sign.publicKey,
    deviceBoxPk: box.publicKey,
    deviceName: name,
    deviceTime: Math.floor(Date.now() / 1000),
  })).finish();
  return signEnvelope('fsd.v1.EnrollRequest', payload, [sign.privateKey]);
}

/* Enroll with code; the stored device record. */
export async function enrollPhone({ code, deviceName }) {
  const { sodium } = loaded();
  const clean = normaliseCode(code);
  const name = String(deviceName || '').trim();
  if (!clean || utf8(clean).length > MAX_CODE_BYTES) {
    throw new DeviceError('invalid_code', 'Type the enrollment code the dispatcher gave you.');
  }
  if (utf8(name).length > MAX_NAME_BYTES) {
    throw new DeviceError('out_of_range', `The phone's name must be at most ${MAX_NAME_BYTES} bytes long.`);
  }
  const held = await read(['meta'], async (t) => ({ device: await t.meta(META.device), lost: await t.meta(META.lost) }));
  if (held.device && !held.lost) throw new DeviceError('already_enrolled', 'This phone is already enrolled.');
  const sign = sodium.crypto_sign_keypair();
  const box = sodium.crypto_box_keypair();
  const reply = await exchange('enroll', request(clean, name, sign, box), MAX_ENROLL_REPLY);
  const verified = verifyEnrollReply(reply);
  const device = {
    deviceId: verified.deviceId,
    technicianId: verified.technicianId,
    signSk: sign.privateKey,
    boxPk: box.publicKey,
    boxSk: box.privateKey,
    name,
    enrolledAt: Date.now(),
  };
  await storeEnrollment({ device, trust: verified.trust, epoch: verified.epoch });
  return device;
}
