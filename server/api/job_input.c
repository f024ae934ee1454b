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

#define COMMON                                                             \
    {.name = "event", .type = JF_ENUM, .flags = JF_REQUIRED,               \
     .choices = job_event_names},                                          \
    {.name = "reason", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,    \
     .max = 500},                                                          \
    {.name = "version", .type = JF_INT, .min = 1, .max = JF_ID_MAX},       \
    {.name = "on_behalf_of", .type = JF_ENUM, .choices = behalf_roles}
#define FINDINGS                                                           \
    {.name = "liquid", .type = JF_BOOL, .dflt = "false"},                  \
    {.name = "impact", .type = JF_BOOL, .dflt = "false"},                  \
    {.name = "tampered", .type = JF_BOOL, .dflt = "false"},                \
    {.name = "performance_fault", .type = JF_BOOL, .dflt = "false"},       \
    {.name = "warranty_override", .type = JF_TEXT, .min = 1, .max = 500}
#define VISIT                                                              \
    {.name = "notes", .type = JF_TEXT, .max = 4000},                       \
    {.name = "parts_used", .type = JF_ARRAY, .max = 100, .dflt = "[]",     \
     .items = use_items},                                                  \
    {.name = "labour", .type = JF_ARRAY, .max = 20, .dflt = "[]",          \
     .items = labour_items}

static const struct jfield use_items[] = {
    {.name = "part_id", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = JF_ID_MAX},
    {.name = "quantity", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 1000},
    {.name = "serial", .type = JF_TEXT, .min = 1, .max = 100},
    {.name = "faulty_serial", .type = JF_TEXT, .min = 1, .max = 100},
    JF_END};
/* what a priced line (labour, or a quote's) holds */
#define PRICED_LINE                                                        \
    {.name = "description", .type = JF_TEXT, .flags = JF_REQUIRED,         \
     .min = 1, .max = 200},                                                \
    {.name = "quantity", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,   \
     .max = QUOTE_MAX_QUANTITY},                                           \
    {.name = "unit_price_minor", .type = JF_INT, .flags = JF_REQUIRED,     \
     .max = MONEY_MAX}

static const struct jfield labour_items[] = {PRICED_LINE, JF_END};
static const struct jfield quote_items[] = {
    {.name = "kind", .type = JF_ENUM, .flags = JF_REQUIRED,
     .choices = quote_kind_names},
    PRICED_LINE,
    /* a part line's catalogue part, reserved once the quote is approved */
    {.name = "part_id", .type = JF_INT, .min = 1, .max = JF_ID_MAX},
    JF_END};

static const struct jfield plain[] = {COMMON, JF_END};
static const struct jfield assign[] = {
    COMMON, {.name = "technician_id", .type = JF_INT, .flags = JF_REQUIRED,
             .min = 1, .max = JF_ID_MAX},
    JF_END};
static const struct jfield book[] = {
    COMMON, {.name = "window_start", .type = JF_TIME},
    {.name = "window_end", .type = JF_TIME},
    /* the customer accepted the call-out fee of an out-of-warranty visit */
    {.name = "accept_callout", .type = JF_BOOL}, JF_END};
/* a back order says when: slots and the customer's page count on it */
static const struct jfield parts_missing[] = {
    COMMON, {.name = "expected_on", .type = JF_DATE, .flags = JF_REQUIRED},
    JF_END};
static const struct jfield decide[] = {COMMON, FINDINGS, JF_END};
static const struct jfield issue_quote[] = {
    COMMON, FINDINGS,
    {.name = "lines", .type = JF_ARRAY, .flags = JF_REQUIRED, .min = 1,
     .max = QUOTE_MAX_LINES, .items = quote_items},
    JF_END};
static const struct jfield complete_work[] = {COMMON, VISIT, JF_END};
static const struct jfield need_follow_up[] = {
    COMMON, VISIT,
    {.name = "outcome", .type = JF_ENUM, .flags = JF_REQUIRED,
     .choices = follow_up_outcomes},
    JF_END};
static const struct jfield sign_off[] = {
    COMMON, {.name = "customer_name", .type = JF_TEXT, .flags = JF_REQUIRED,
             .min = 1, .max = 200},
    /* base64 of at most 256 KiB */
    {.name = "signature", .type = JF_TEXT, .flags = JF_REQUIRED, .min = 4,
     .max = 349528},
    {.name = "rating", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 5},
    {.name = "comment", .type = JF_TEXT, .flags = JF_NULLABLE,
     .max = 1000}, JF_END};

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
