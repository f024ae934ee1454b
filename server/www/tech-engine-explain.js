/*
 * tech-engine-explain.js: why the server refused an action, in plain
 * words for the technician (the codes of PROTOCOL.md section 9's acks and
 * the lifecycle's).  A code without its own sentence falls back to the
 * server's message.
 */

const WORDS = {
  reassigned: 'This job was given to another technician. What you recorded was kept for the dispatcher.',
  stale_warranty: 'The warranty decision on this job changed after you looked at it. Your decision was kept for the dispatcher to compare.',
  invalid_transition: 'The job had already moved on, so this step no longer applies. Check where the job stands now.',
  warranty_mismatch: 'The warranty rules do not agree with this decision (the purchase date or what you found). Check it, or call the dispatcher.',
  warranty_undecided: 'Decide on the warranty before this step.',
  quote_expired: 'The quote expired before the customer answered. Issue a new quote.',
  quote_exists: 'This job already has a quote. Ask the dispatcher to revise it.',
  no_quote: 'This job has no quote to act on.',
  no_pending_quote: 'This job has no quote waiting for the customer\'s answer.',
  unpaid_balance: 'The customer still owes an earlier invoice, so the quote cannot be approved. Call the dispatcher.',
  callout_not_accepted: 'The customer has not accepted the call-out fee.',
  out_of_stock: 'The parts are not in stock. The dispatcher will order them.',
  exceeds_reserved: 'You used more of a part than was reserved for this job. Check the quantities with the dispatcher.',
  part_not_reserved: 'This part was not reserved for this job. Check the part with the dispatcher.',
  parts_not_ready: 'The job\'s parts are not ready yet.',
  serial_needs_single_unit: 'A serial number belongs to one unit: record each unit on its own line.',
  no_open_visit: 'There was no visit open on this job. Record your arrival first.',
  visit_before_purchase: 'The visit is dated before the unit was bought. Check the phone\'s date.',
  not_found: 'This job is not yours or no longer exists.',
  invalid_summary: 'The summary the customer signed did not match the job. Show the customer the summary again and ask them to sign.',
  invalid_signature: 'The customer\'s signature could not be read. Ask the customer to sign again.',
  out_of_range: 'Something recorded was outside what is allowed (too long, too many, or missing).',
  missing_field: 'Something this step needs was not recorded.',
  invalid_text: 'Some of the text could not be read.',
  invalid_mutation_id: 'The phone sent this action under a broken name. Tell the dispatcher.',
  unsupported_mutation: 'The server does not take this kind of action.',
  technician_inactive: 'Your account is not active. Call the dispatcher.',
};

/* The sentence for an action refused with code (and the server's message). */
export function explain(code, message) {
  if (Object.hasOwn(WORDS, code)) return WORDS[code];
  const text = String(message || '').trim();
  if (!text) return 'The server refused this action. Call the dispatcher.';
  const sentence = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
