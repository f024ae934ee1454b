/*
 * job_input.h - parsing the body of a staff lifecycle event (job_input.c):
 * one field table per event, so each event takes exactly its own fields.
 */
#ifndef FSD_JOB_INPUT_H
#define FSD_JOB_INPUT_H

#include "model/jparse.h"
#include "store/store.h"

/*
 * Validate body for the event it names and fill out: event, role (the
 * staff role, or technician/customer with on_behalf_of), technician_id,
 * version, payload (= *vals) and by_staff.  *vals (caller owns, also on
 * error when set) holds the normalized fields; *reason borrows from it.
 * ERR_INVALID with the field path on any bad field, a missing reason for
 * events that need one, or on_behalf_of without a reason.
 */
int job_input_parse(const json_t *body, unsigned staff_role,
                    struct job_event_req *out, json_t **vals,
                    const char **reason, struct err *err);

#endif
