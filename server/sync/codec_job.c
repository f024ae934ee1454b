/*
 * codec_job.c - a stored job snapshot as a protobuf Job (codec_job.h):
 * the job, its customer and unit, what the warranty rule expects on the
 * visit's day, its part lines with their prices, the company's zone and
 * currency, its live quote and the last entries of its history.  Nothing
 * is read here: store_sync_snapshot.c put it all in the row.
 */
#include "sync/codec_job.h"
#include "common/mem.h"
#include "common/timefmt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *text(const json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return (char *)(s ? s : "");
}

static int64_t num(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

/* What the warranty rule expects on the visit's day (the window's, else
 * today's), no damage assumed: the device shows it before the visit. */
static void expect_warranty(struct codec_job *m, const json_t *row)
{
    struct warranty_input in = {0};
    struct err ignored = ERR_INIT;
    char day[TIMEFMT_RFC3339_LEN];
    int64_t at = num(row, "window_start");

    timefmt_format_rfc3339(at ? at : (int64_t)time(NULL), day);
    day[10] = '\0';
    in.purchase_date = json_string_value(json_object_get(row, "purchase_date"));
    in.warranty_months =
        json_is_integer(json_object_get(row, "warranty_months"))
            ? (int)num(row, "warranty_months")
            : WARRANTY_MONTHS_DEFAULT;
    in.visit_date = day;
    if (warranty_decide(&in, &m->expected, &ignored))
        return;
    m->job.expected_warranty =
        m->expected.outcome == WARRANTY_OUT ? "out_of_warranty" : "in_warranty";
    m->job.expected_warranty_reason = m->expected.reason;
}

static void parts_fill(struct codec_job *m, const json_t *lines)
{
    const json_t *l;
    size_t i;

    m->job.n_parts = json_array_size(lines);
    m->parts = xcalloc(m->job.n_parts + 1, sizeof *m->parts);
    m->pparts = xcalloc(m->job.n_parts + 1, sizeof *m->pparts);
    json_array_foreach(lines, i, l)
    {
        fsd__v1__job_part__init(&m->parts[i]);
        m->parts[i].part_id = (uint64_t)num(l, "part_id");
        m->parts[i].sku = text(l, "sku");
        m->parts[i].name = text(l, "name");
        m->parts[i].quantity = (uint32_t)num(l, "quantity");
        m->parts[i].state = text(l, "state");
        m->parts[i].price_minor = num(l, "price_minor");
        m->pparts[i] = &m->parts[i];
    }
    m->job.parts = m->pparts;
}

static Fsd__V1__QuoteLine__Kind line_kind(const char *k)
{
    return !strcmp(k, "part")     ? FSD__V1__QUOTE_LINE__KIND__PART
           : !strcmp(k, "labour") ? FSD__V1__QUOTE_LINE__KIND__LABOUR
           : !strcmp(k, "callout")
               ? FSD__V1__QUOTE_LINE__KIND__CALLOUT
               : FSD__V1__QUOTE_LINE__KIND__KIND_UNSPECIFIED;
}

/* The live quote, when the job has one. */
static void quote_fill(struct codec_job *m, const json_t *q)
{
    const json_t *lines = json_object_get(q, "lines"), *l;
    size_t i, n = json_array_size(lines);

    m->lines = xcalloc(n + 1, sizeof *m->lines);
    m->plines = xcalloc(n + 1, sizeof *m->plines);
    if (!json_is_object(q))
        return;
    fsd__v1__job_quote__init(&m->quote);
    m->quote.status = text(q, "status");
    m->quote.total_minor = num(q, "total_minor");
    m->quote.expires_at = num(q, "expires_at");
    /* link stays empty: only the hash of a link's token is kept */
    json_array_foreach(lines, i, l)
    {
        fsd__v1__quote_line__init(&m->lines[i]);
        m->lines[i].kind = line_kind(text(l, "kind"));
        m->lines[i].description = text(l, "description");
        m->lines[i].quantity = (uint32_t)num(l, "quantity");
        m->lines[i].unit_price_minor = num(l, "unit_price_minor");
        m->lines[i].part_id = (uint64_t)num(l, "part_id");
        m->plines[i] = &m->lines[i];
    }
    m->quote.n_lines = n;
    m->quote.lines = m->plines;
    m->job.quote = &m->quote;
}

static void history_fill(struct codec_job *m, const json_t *entries)
{
    const json_t *e;
    size_t i;

    m->job.n_history = json_array_size(entries);
    m->history = xcalloc(m->job.n_history + 1, sizeof *m->history);
    m->phistory = xcalloc(m->job.n_history + 1, sizeof *m->phistory);
    json_array_foreach(entries, i, e)
    {
        fsd__v1__history_entry__init(&m->history[i]);
        m->history[i].at = num(e, "at");
        m->history[i].kind = text(e, "kind");
        m->history[i].text = text(e, "text");
        m->history[i].by = text(e, "by");
        m->phistory[i] = &m->history[i];
    }
    m->job.history = m->phistory;
}

void codec_job_fill(struct codec_job *m, const json_t *row)
{
    fsd__v1__job__init(&m->job);
    fsd__v1__customer__init(&m->customer);
    fsd__v1__asset__init(&m->asset);
    m->job.id = (uint64_t)num(row, "id");
    m->job.version = (uint64_t)num(row, "version");
    m->job.status = text(row, "status");
    m->job.kind = text(row, "kind");
    m->job.fault = text(row, "fault");
    m->job.priority = (uint32_t)num(row, "priority");
    m->job.window_start = num(row, "window_start");
    m->job.window_end = num(row, "window_end");
    m->job.duration_minutes = (uint32_t)num(row, "duration_minutes");
    m->job.warranty = text(row, "warranty");
    m->job.timezone = text(row, "company_timezone");
    m->job.currency = text(row, "company_currency");
    m->job.callout_minor = num(row, "callout_minor");
    m->customer.name = text(row, "customer_name");
    m->customer.phone = text(row, "customer_phone");
    m->customer.address = text(row, "customer_address");
    m->customer.lat = json_number_value(json_object_get(row, "lat"));
    m->customer.lon = json_number_value(json_object_get(row, "lon"));
    m->job.customer = &m->customer;
    if (json_is_string(json_object_get(row, "model"))) {
        m->asset.model = text(row, "model");
        m->asset.serial = text(row, "serial");
        m->asset.purchase_date = text(row, "purchase_date");
        m->asset.warranty_months = (uint32_t)num(row, "warranty_months");
        m->job.asset = &m->asset;
    }
    expect_warranty(m, row);
    parts_fill(m, json_object_get(row, "part_lines"));
    quote_fill(m, json_object_get(row, "quote"));
    history_fill(m, json_object_get(row, "history"));
}

void codec_job_release(struct codec_job *m)
{
    free(m->parts);
    free(m->pparts);
    free(m->lines);
    free(m->plines);
    free(m->history);
    free(m->phistory);
}
