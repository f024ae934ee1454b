/*
 * tech-enroll.js: the enrollment screen of the technician's app
 * (tech.html).  The dispatcher's QR code opens /tech#enroll=CODE, which
 * fills the code in; a technician may also type it (any case, spaces and
 * dashes allowed: the engine cleans it).  Enrolling makes the phone's keys
 * and registers it (tech-device.js enroll()); the caller then removes the
 * code from the address and shows the jobs.  The screen also says why it
 * shows: the dispatcher removed this phone, or it is enrolled already and
 * a new code replaces that enrollment.
 */

import { enroll } from './tech-device.js';
import { h, button, field, errorLine, byteLength, top } from './tech-ui-kit.js';
import { errorText } from './tech-format.js';

/* The code in an address's "#enroll=CODE", '' when none. */
export function enrollCode(hash) {
  const m = /^#enroll=([^&]*)/.exec(hash || '');
  return m ? decodeURIComponent(m[1]).trim() : '';
}

const REASONS = {
  revoked: 'This phone was removed by the dispatcher. Its jobs are no longer on it. Ask the dispatcher for a new code to enroll it again.',
  enrolled: 'This phone is enrolled already. Enrolling it with a new code replaces that enrollment and the jobs on it.',
};

/*
 * render({code, reason, previous, enrolled}) → screen.  previous is the
 * device enrolled now (null: none); it is wiped before the new one is
 * made, and only when nothing of it waits to upload.  enrolled(device)
 * runs once the phone is enrolled.
 */
export function renderEnroll({ code, reason, previous, enrolled }) {
  const codeBox = h('input', {
    id: 'enroll-code', value: code || '', autocomplete: 'one-time-code', autocapitalize: 'characters',
    spellcheck: 'false', maxlength: 64, inputmode: 'text', placeholder: 'K7Q2 M9X4 P3T8',
  });
  const nameBox = h('input', { id: 'enroll-name', value: 'Phone', maxlength: 100, autocomplete: 'off' });
  const error = errorLine('enroll-error');
  const submit = button('Enroll this phone', null, { kind: 'primary', id: 'enroll-submit', type: 'submit', form: 'enroll-form' });

  async function onSubmit(event) {
    event.preventDefault();
    const typed = codeBox.value.replace(/[\s-]+/g, '');
    const deviceName = nameBox.value.trim();
    if (!typed) return error.say('Type the code the dispatcher gave you.');
    if (!deviceName || byteLength(deviceName) > 100) return error.say('Give this phone a name of up to 100 characters, like "Phone".');
    error.say('');
    submit.disabled = true;
    submit.textContent = 'Enrolling…';
    try {
      if (previous) {
        const pending = (await previous.status()).pending;
        if (pending && reason !== 'revoked')
          throw new Error(`${pending} actions of this phone still wait to upload. Sync them first.`);
        await previous.wipe();
      }
      const device = await enroll({ code: codeBox.value, deviceName });
      await enrolled(device);
    } catch (e) {
      error.say(errorText(e));
      submit.disabled = false;
      submit.textContent = 'Enroll this phone';
    }
  }

  const form = h('form', { id: 'enroll-form', class: 'stack', novalidate: true, onsubmit: onSubmit },
    field('Enrollment code', codeBox, 'From the dispatcher: the QR code fills it in.'),
    field('Name of this phone', nameBox, 'Dispatchers see it in the list of devices.'),
    error);
  const body = [
    ...top('Enroll this phone'),
    reason ? h('p', { id: 'enroll-reason', class: 'notice', text: REASONS[reason] }) : null,
    h('p', { text: 'Enroll once: the phone then gets your jobs and keeps them, so you can work with no network.' }),
    form,
  ];
  const dock = [submit];
  if (reason === 'enrolled') dock.push(h('a', { href: '#/', class: 'button secondary', text: 'Keep this enrollment' }));
  return { title: 'Enroll', body, dock };
}
