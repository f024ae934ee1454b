/*
 * tech-ui-note.js: the note form of the technician's app (tech.html): a
 * few words for the job's history (a gate code, what the customer said).
 * A note is recorded on the phone, uploads with the next sync and never
 * conflicts, whoever holds the job by then.  1 to 4000 bytes.
 */

import { h, button, field, errorLine, byteLength, formTop, recordThenBack } from './tech-ui-kit.js';

const NOTE_MAX = 4000; /* bytes, PROTOCOL.md 8a */

export function renderNote(ctx) {
  const { job } = ctx;
  const text = h('textarea', { id: 'note-text', rows: 6, maxlength: NOTE_MAX });
  const error = errorLine('note-error');
  const save = button('Save the note', async () => {
    const value = text.value.trim();
    if (!value) return error.say('Write the note first.');
    if (byteLength(value) > NOTE_MAX) return error.say(`A note holds at most ${NOTE_MAX} bytes; this one has ${byteLength(value)}.`);
    await recordThenBack(ctx, save, error, 'note', { text: value });
  }, { kind: 'primary', id: 'note-save' });
  return {
    title: 'Note',
    body: [
      ...formTop(job, 'Note'),
      field('Note for the job', text, 'The dispatcher sees it in the job\'s history.'),
      error,
    ],
    dock: [save],
  };
}
