/*
 * job_input.c - the typed bodies of POST /api/v1/jobs/{id}/events.
 *
 * Every event takes the common fields (event, reason, version,
 * on_behalf_of) plus its own: a technician for assignments, findings for
 * the warranty decision, lines for a quote, the visit's outcome, notes,
 * labour and parts used, the customer's sign-off.  A field that belongs to
 * another event is unknown_field, so a typo cannot be silently ignored.
 *
 * Staff record technicians' and customers' events on their behalf (a call
 * from a technician whose device is dead, a customer's answer on the
 * phone) with on_behalf_of and a reason; the state machine then judges the
 * event as that role's, and the audit trail keeps who recorded it.
 */
#include "api/job_input.h"
#include "rules/job.h"
#include "rules/quote.h"

#include <string.h>

#define MONEY_MAX 1000000000000LL

static const char *const behalf_roles[] = {"technician", "customer", 0};
static const char *const follow_up_outcomes[] = {
    "customer_not_home", "parts_missing", "needs_follow_up", "partly_done",
    0};

#define COMMON                                                              \
    {"event", JF_ENUM, JF_REQUIRED, 0, 0, job_event_names, 0, 0},           \
        {"reason", JF_TEXT, JF_NULLABLE, 1, 500, 0, 0, 0},                  \
        {"version", JF_INT, 0, 1, JF_ID_MAX, 0, 0, 0},                         \
        {"on_behalf_of", JF_ENUM, 0, 0, 0, behalf_roles, 0, 0}
#define FINDINGS                                                            \
    {"liquid", JF_BOOL, 0, 0, 0, 0, "false", 0},                            \
        {"impact", JF_BOOL, 0, 0, 0, 0, "false", 0},                        \
        {"tampered", JF_BOOL, 0, 0, 0, 0, "false", 0},                      \
        {"performance_fault", JF_BOOL, 0, 0, 0, 0, "false", 0},             \
        {"warranty_override", JF_TEXT, 0, 1, 500, 0, 0, 0}
#define VISIT                                                               \
    {"notes", JF_TEXT, 0, 0, 4000, 0, 0, 0},                                \
        {"parts_used", JF_ARRAY, 0, 0, 100, 0, "[]", use_items},            \
        {"labour", JF_ARRAY, 0, 0, 20, 0, "[]", labour_items}

static const struct jfield use_items[] = {
    {"part_id", JF_INT, JF_REQUIRED, 1, JF_ID_MAX, 0, 0, 0},
    {"quantity", JF_INT, JF_REQUIRED, 1, 1000, 0, 0, 0},
    {"serial", JF_TEXT, 0, 1, 100, 0, 0, 0},
    {"faulty_serial", JF_TEXT, 0, 1, 100, 0, 0, 0},
    JF_END};
static const struct jfield labour_items[] = {
    {"description", JF_TEXT, JF_REQUIRED, 1, 200, 0, 0, 0},
    {"quantity", JF_INT, JF_REQUIRED, 1, QUOTE_MAX_QUANTITY, 0, 0, 0},
    {"unit_price_minor", JF_INT, JF_REQUIRED, 0, MONEY_MAX, 0, 0, 0},
    JF_END};
static const struct jfield quote_items[] = {
    {"kind", JF_ENUM, JF_REQUIRED, 0, 0, quote_kind_names, 0, 0},
    {"description", JF_TEXT, JF_REQUIRED, 1, 200, 0, 0, 0},
    {"quantity", JF_INT, JF_REQUIRED, 1, QUOTE_MAX_QUANTITY, 0, 0, 0},
    {"unit_price_minor", JF_INT, JF_REQUIRED, 0, MONEY_MAX, 0, 0, 0},
    JF_END};

static const struct jfield plain[] = {COMMON, JF_END};
static const struct jfield assign[] = {
    COMMON, {"technician_id", JF_INT, JF_REQUIRED, 1, JF_ID_MAX, 0, 0, 0},
    JF_END};
static const struct jfield book[] = {
    COMMON, {"window_start", JF_TIME, 0, 0, 0, 0, 0, 0},
    {"window_end", JF_TIME, 0, 0, 0, 0, 0, 0}, JF_END};
static const struct jfield parts_missing[] = {
    COMMON, {"expected_on", JF_DATE, JF_NULLABLE, 0, 0, 0, 0, 0}, JF_END};
static const struct jfield decide[] = {COMMON, FINDINGS, JF_END};
static const struct jfield issue_quote[] = {
    COMMON, FINDINGS,
    {"lines", JF_ARRAY, JF_REQUIRED, 1, QUOTE_MAX_LINES, 0, 0, quote_items},
    JF_END};
static const struct jfield complete_work[] = {COMMON, VISIT, JF_END};
static const struct jfield need_follow_up[] = {
    COMMON, VISIT,
    {"outcome", JF_ENUM, JF_REQUIRED, 0, 0, follow_up_outcomes, 0, 0},
    JF_END};
static const struct jfield sign_off[] = {
    COMMON, {"customer_name", JF_TEXT, JF_REQUIRED, 1, 200, 0, 0, 0},
    /* base64 of at most 256 KiB */
    {"signature", JF_TEXT, JF_REQUIRED, 4, 349528, 0, 0, 0},
    {"rating", JF_INT, JF_REQUIRED, 1, 5, 0, 0, 0},
    {"comment", JF_TEXT, JF_NULLABLE, 0, 1000, 0, 0, 0}, JF_END};

/* The body's field table for event e. */
static const struct jfield *fields_for(enum job_event e)
{
    switch (e) {
    case EV_ASSIGN:
    case EV_REASSIGN: return assign;
    case EV_BOOK: return book;
    case EV_PARTS_MISSING: return parts_missing;
    case EV_DECIDE_IN_WARRANTY:
    case EV_DECIDE_REPLACEMENT: return decide;
    case EV_ISSUE_QUOTE: return issue_quote;
    case EV_COMPLETE_WORK: return complete_work;
    case EV_NEED_FOLLOW_UP: return need_follow_up;
    case EV_SIGN_OFF: return sign_off;
    default: return plain;
    }
}

/* The role the event is judged as: the staff member's own, or the role
 * they record it for. */
static int judge_role(const json_t *vals, unsigned staff_role,
                      struct job_event_req *out, struct err *err)
{
    const char *behalf = json_string_value(json_object_get(vals,
                                                           "on_behalf_of"));

    out->role = staff_role;
    if (!behalf)
        return 0;
    if (!json_is_string(json_object_get(vals, "reason")))
        return err_set(err, ERR_INVALID, "missing_field", "reason",
                       "an event recorded on behalf of a %s needs a reason",
                       behalf);
    out->role = strcmp(behalf, "technician") == 0 ? JR_TECHNICIAN
                                                  : JR_CUSTOMER;
    return 0;
}

int job_input_parse(const json_t *body, unsigned staff_role,
                    struct job_event_req *out, json_t **vals,
                    const char **reason, struct err *err)
{
    const char *name = json_string_value(json_object_get(body, "event"));
    enum job_event ev = EV_OFFER_SLOTS;
    int known = name && job_event_parse(name, &ev) == 0;

    *vals = NULL;
    if (jparse_object(body, known ? fields_for(ev) : plain, JPARSE_CREATE,
                      "", vals, err))
        return err->rc;
    out->event = (int)ev;
    out->technician_id = json_integer_value(json_object_get(*vals,
                                                            "technician_id"));
    out->version = json_integer_value(json_object_get(*vals, "version"));
    out->payload = *vals;
    out->by_staff = 1;
    *reason = json_string_value(json_object_get(*vals, "reason"));
    if (job_event_needs_reason(ev) && !*reason)
        return err_set(err, ERR_INVALID, "missing_field", "reason",
                       "%s needs a reason", job_event_name(ev));
    return judge_role(*vals, staff_role, out, err);
}
