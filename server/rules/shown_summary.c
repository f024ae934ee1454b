/*
 * shown_summary.c - checking the summary a device showed the customer
 * (shown_summary.h).
 *
 * The hash is checked before the text is read, so a summary damaged on
 * the way is refused as such; then the text must be UTF-8 without NUL
 * (it is stored and sent to staff as text) and a JSON object naming the
 * job and the total the customer saw.  Its other keys are the device's
 * own choice, for display; nothing here reads them.
 */
#include "rules/shown_summary.h"
#include "common/sec.h"

#include <jansson.h>
#include <string.h>

#define INVALID(err, field, ...)                                               \
    err_set(err, ERR_INVALID, "invalid_summary", field, __VA_ARGS__)

/* The hash and the size: both present, 32 bytes, the text's BLAKE2b. */
static int check_bytes(const unsigned char *text, size_t len,
                       const unsigned char *hash, size_t hash_len,
                       struct err *err)
{
    unsigned char want[SEC_HASH_BYTES];

    if (len == 0)
        return INVALID(
            err, "summary",
            "summary_hash was sent without the summary it is the hash of");
    if (hash_len == 0)
        return INVALID(err, "summary_hash",
                       "the summary was sent without summary_hash");
    if (len > SHOWN_SUMMARY_MAX)
        return INVALID(err, "summary", "the summary is %zu bytes; at most %d",
                       len, SHOWN_SUMMARY_MAX);
    if (hash_len != SHOWN_SUMMARY_HASH_BYTES)
        return INVALID(err, "summary_hash",
                       "summary_hash is %zu bytes; a BLAKE2b-256 hash is %d",
                       hash_len, SHOWN_SUMMARY_HASH_BYTES);
    sec_hash(text, len, want);
    if (memcmp(want, hash, SEC_HASH_BYTES))
        return INVALID(
            err, "summary_hash",
            "summary_hash is not the BLAKE2b-256 of the summary sent");
    return 0;
}

/* The JSON object's required members. */
static int check_object(const json_t *o, int64_t job_id,
                        struct shown_summary *out, struct err *err)
{
    const json_t *job = json_object_get(o, "job_id");
    const json_t *total = json_object_get(o, "total_minor");

    if (!json_is_integer(job))
        return INVALID(err, "summary", "the summary has no integer \"job_id\"");
    if (json_integer_value(job) != job_id)
        return INVALID(err, "summary",
                       "the summary is of job %lld, not of job %lld",
                       (long long)json_integer_value(job), (long long)job_id);
    if (!json_is_integer(total))
        return INVALID(err, "summary",
                       "the summary has no integer \"total_minor\"");
    if (!json_is_string(json_object_get(o, "currency")))
        return INVALID(err, "summary",
                       "the summary has no \"currency\" (an ISO 4217 code)");
    out->total_minor = json_integer_value(total);
    return 0;
}

int shown_summary_check(const unsigned char *text, size_t len,
                        const unsigned char *hash, size_t hash_len,
                        int64_t job_id, struct shown_summary *out,
                        struct err *err)
{
    json_t *probe, *o;
    json_error_t je;
    int rc;

    memset(out, 0, sizeof *out);
    if (len == 0 && hash_len == 0)
        return 0;
    if (check_bytes(text, len, hash, hash_len, err))
        return err->rc;
    /* jansson refuses text that is not UTF-8 */
    probe =
        memchr(text, '\0', len) ? NULL : json_stringn((const char *)text, len);
    if (!probe)
        return INVALID(err, "summary", "the summary is not UTF-8 text");
    json_decref(probe);
    o = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(o)) {
        rc = INVALID(err, "summary", "the summary is not a JSON object%s%s",
                     o ? "" : ": ", o ? "" : je.text);
        json_decref(o);
        return rc;
    }
    rc = check_object(o, job_id, out, err);
    json_decref(o);
    if (rc == 0)
        out->present = 1;
    return rc;
}
