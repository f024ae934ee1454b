/*
 * fsd_tech.c - fsd-tech, the technician's command line over the device
 * SDK: enroll, sync, list jobs and the outbox, and record actions offline.
 *
 *   fsd-tech [--store PATH] [--json] COMMAND ...
 *
 * Human output is a table; --json prints one JSON document (jansson).  Errors are
 * one line on standard error and a non-zero exit: 1 for a refusal or a
 * failed check, 2 for bad usage, 3 for a network failure (try again).
 */
#include "fsd_client.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int json_out;

static int usage(void)
{
    fprintf(stderr,
            "usage: fsd-tech [--store PATH] [--ca-file PEM] [--json] COMMAND\n"
            "  enroll --server URL --code CODE [--name NAME]\n"
            "  sync | jobs [--today] | show JOB | outbox\n"
            "  en-route JOB | arrive JOB | note JOB TEXT\n"
            "  warranty JOB [--replacement] [--findings"
            " liquid,impact,tampered,performance_fault]\n"
            "  quote JOB --line KIND[=PART_ID]:QTY:PRICE:TEXT ..."
            " [--findings LIST | --liquid ...]\n"
            "  parts JOB --sku SKU [--qty N] [--serial S] [--replaced S]"
            " | --part ID:QTY[:SERIAL[:REPLACED]] ...\n"
            "  outcome JOB OUTCOME [--notes TEXT]"
            " [--part ID:QTY[:SERIAL[:REPLACED]]] ..."
            " [--labour QTY:PRICE:TEXT] ...\n"
            "  sign-off JOB --name NAME --rating R --signature FILE.png"
            " [--comment TEXT]\n"
            "           [--summary FILE.json] | --reject REASON\n"
            "    --summary: the summary shown to the customer before they"
            " signed, sent\n"
            "    exactly (at most 16 KiB of JSON: an object with job_id,"
            " total_minor\n"
            "    and currency) with its BLAKE2b-256 hash\n"
            "  quote-answer JOB --approve | --decline --name NAME"
            " [--reason TEXT]\n");
    return 2;
}

static int fail(fsd_client *c, int rc)
{
    fprintf(stderr, "fsd-tech: %s\n", fsd_last_error(c));
    return rc == FSD_ERR_NETWORK ? 3 : rc == FSD_ERR_INVALID ? 2 : 1;
}

/* The value after flag name in argv, or NULL. */
static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int has(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], name))
            return 1;
    return 0;
}

/* Print json (stolen) as one line. */
static void emit(json_t *json)
{
    json_dumpf(json, stdout, JSON_COMPACT);
    putchar('\n');
    json_decref(json);
}

/* What jobs prints: every job, or today's. */
struct job_filter {
    json_t *items;          /* --json: the array being filled */
    int64_t from, to;       /* --today: [from, to) in Unix seconds */
};

static json_t *job_json(const struct fsd_job_view *j)
{
    return json_pack(
        "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:{s:s, s:s, s:s,"
        " s:i}, s:s, s:s, s:s, s:s, s:I}",
        "id", (json_int_t)j->id, "version", (json_int_t)j->version, "status",
        j->status, "kind", j->kind, "customer", j->customer, "address",
        j->address, "fault", j->fault, "window_start",
        (json_int_t)j->window_start, "window_end", (json_int_t)j->window_end,
        "asset", "model", j->asset_model, "serial", j->asset_serial,
        "purchase_date", j->purchase_date, "warranty_months",
        (int)j->warranty_months, "expected_warranty", j->expected_warranty,
        "expected_warranty_reason", j->expected_warranty_reason, "timezone",
        j->timezone, "currency", j->currency, "callout_minor",
        (json_int_t)j->callout_minor);
}

/* show --json: the job with its parts, quote (null: none) and history. */
static json_t *detail_json(const struct fsd_job_detail *d)
{
    json_t *j = job_json(&d->job), *parts = json_array(), *lines,
           *history = json_array();

    for (size_t i = 0; i < d->nparts; i++)
        json_array_append_new(parts, json_pack(
            "{s:I, s:s, s:s, s:i, s:s, s:I}", "part_id",
            (json_int_t)d->parts[i].part_id, "sku", d->parts[i].sku, "name",
            d->parts[i].name, "quantity", (int)d->parts[i].quantity, "state",
            d->parts[i].state, "price_minor",
            (json_int_t)d->parts[i].price_minor));
    json_object_set_new(j, "parts", parts);
    for (size_t i = 0; i < d->nhistory; i++)
        json_array_append_new(history, json_pack(
            "{s:I, s:s, s:s, s:s}", "at", (json_int_t)d->history[i].at,
            "kind", d->history[i].kind, "text", d->history[i].text, "by",
            d->history[i].by));
    json_object_set_new(j, "history", history);
    if (!*d->quote_status) {
        json_object_set_new(j, "quote", json_null());
        return j;
    }
    lines = json_array();
    for (size_t i = 0; i < d->nquote_lines; i++)
        json_array_append_new(lines, json_pack(
            "{s:s, s:s, s:i, s:I, s:I}", "kind", d->quote_lines[i].kind,
            "description", d->quote_lines[i].description, "quantity",
            (int)d->quote_lines[i].quantity, "unit_price_minor",
            (json_int_t)d->quote_lines[i].unit_price_minor, "part_id",
            (json_int_t)d->quote_lines[i].part_id));
    json_object_set_new(j, "quote", json_pack(
        "{s:s, s:o, s:I, s:I, s:s}", "status", d->quote_status, "lines",
        lines, "total_minor", (json_int_t)d->quote_total_minor, "expires_at",
        (json_int_t)d->quote_expires_at, "link", d->quote_link));
    return j;
}

/* show: the job, its money and the last of its history, for a person. */
static void print_detail(const struct fsd_job_detail *d, void *arg)
{
    const struct fsd_job_view *j = &d->job;

    (void)arg;
    if (json_out) {
        emit(detail_json(d));
        return;
    }
    printf("job %llu (version %llu)\n  status:   %s\n  kind:     %s\n"
           "  customer: %s\n  address:  %s\n  fault:    %s\n"
           "  unit:     %s %s, bought %s\n  warranty: %s (%s)\n"
           "  times in: %s\n  call-out: %lld %s\n",
           (unsigned long long)j->id, (unsigned long long)j->version,
           j->status, j->kind, j->customer, j->address, j->fault,
           j->asset_model, j->asset_serial,
           *j->purchase_date ? j->purchase_date : "(date unknown)",
           *j->expected_warranty ? j->expected_warranty : "unknown",
           j->expected_warranty_reason, j->timezone,
           (long long)j->callout_minor, j->currency);
    for (size_t i = 0; i < d->nparts; i++)
        printf("  part:     %u x %s %s (%s), %lld %s each\n",
               d->parts[i].quantity, d->parts[i].sku, d->parts[i].name,
               d->parts[i].state, (long long)d->parts[i].price_minor,
               j->currency);
    if (*d->quote_status)
        printf("  quote:    %s, %zu line(s), total %lld %s\n",
               d->quote_status, d->nquote_lines,
               (long long)d->quote_total_minor, j->currency);
    for (size_t i = 0; i < d->nhistory; i++) {
        time_t at = (time_t)d->history[i].at;
        struct tm tm;
        char when[24];
        strftime(when, sizeof when, "%Y-%m-%d %H:%MZ", gmtime_r(&at, &tm));
        printf("  %s %-16s %s%s%s\n", when, d->history[i].kind,
               d->history[i].text, *d->history[i].by ? " - " : "",
               d->history[i].by);
    }
}

static void print_job(const struct fsd_job_view *j, void *arg)
{
    struct job_filter *f = arg;

    if (f->to && (j->window_start < f->from || j->window_start >= f->to))
        return;
    if (json_out)
        json_array_append_new(f->items, job_json(j));
    else
        printf("%-8llu %-18s %-12s %s\n", (unsigned long long)j->id,
               j->status, j->kind, j->customer);
}

static void print_item(const struct fsd_outbox_view *o, void *arg)
{
    struct job_filter *f = arg;

    if (json_out)
        json_array_append_new(
            f->items,
            json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "mutation_id",
                      o->mutation_id, "kind", o->kind, "job",
                      (json_int_t)o->job, "state", o->state, "code", o->code,
                      "message", o->message));
    else
        printf("%-12s %-10s %-8llu %-9s %s%s%s\n", o->mutation_id, o->kind,
               (unsigned long long)o->job, o->state, o->code,
               o->message[0] ? ": " : "", o->message);
}

static const char *const finding_names[] = {"liquid", "impact", "tampered",
                                            "performance_fault", NULL};
static const char *const no_flags[] = {NULL};
static const char *const finding_flags[] = {
    "--liquid", "--impact", "--tampered", "--performance-fault", NULL};

static int listed(const char *const *list, const char *word)
{
    for (; *list; list++)
        if (!strcmp(*list, word))
            return 1;
    return 0;
}

/* 0 when every argument is one of flags, an option of with_value or the
 * value after it; else -1, said on stderr: a word the command does not
 * know (a finding given without --findings, say) is refused, not
 * ignored. */
static int only_options(int argc, char **argv, const char *const *with_value,
                        const char *const *flags, int with_findings)
{
    for (int i = 0; i < argc; i++) {
        if (listed(with_value, argv[i]) && i + 1 < argc)
            i++;
        else if (!listed(flags, argv[i]) &&
                 !(with_findings && listed(finding_flags, argv[i]))) {
            fprintf(stderr, with_findings
                                ? "fsd-tech: %s: not an option here"
                                  " (findings: --findings liquid,impact,..."
                                  " or --liquid ...)\n"
                                : "fsd-tech: %s: not an option here\n",
                    argv[i]);
            return -1;
        }
    }
    return 0;
}

/* --liquid --impact ... or --findings liquid,impact,...; -1, said on
 * stderr, for a finding the protocol does not know. */
static int findings(int argc, char **argv, struct fsd_findings *f)
{
    const char *list = opt(argc, argv, "--findings");
    char any[160], *word, *save = NULL;

    snprintf(any, sizeof any, "%s", list ? list : "");
    for (word = strtok_r(any, ",", &save); word;
         word = strtok_r(NULL, ",", &save))
        if (!listed(finding_names, word)) {
            fprintf(stderr, "fsd-tech: %s: not a finding (liquid, impact,"
                            " tampered, performance_fault)\n", word);
            return -1;
        }
    snprintf(any, sizeof any, ",%s,", list ? list : "");
    f->liquid = has(argc, argv, "--liquid") || strstr(any, ",liquid,");
    f->impact = has(argc, argv, "--impact") || strstr(any, ",impact,");
    f->tampered = has(argc, argv, "--tampered") || strstr(any, ",tampered,");
    f->performance_fault = has(argc, argv, "--performance-fault") ||
                           strstr(any, ",performance_fault,");
    return 0;
}

static const char *const quote_options[] = {"--line", "--findings", NULL};

static int quote(fsd_client *c, uint64_t job, int argc, char **argv)
{
    struct fsd_line lines[100];
    struct fsd_findings f;
    char kinds[100][16];
    size_t n = 0;

    for (int i = 0; i + 1 < argc && n < 100; i++) {
        unsigned qty;
        unsigned long long part = 0;
        long long price;
        int used = 0;
        const char *rest;
        if (strcmp(argv[i], "--line"))
            continue;
        /* KIND, or part=ID for a catalogue part */
        if (sscanf(argv[i + 1], "%15[a-z]%n", kinds[n], &used) != 1)
            return FSD_ERR_INVALID; /* main prints the usage */
        rest = argv[i + 1] + used;
        if (*rest == '=' && sscanf(rest, "=%llu%n", &part, &used) == 1)
            rest += used;
        used = 0;
        if (sscanf(rest, ":%u:%lld:%n", &qty, &price, &used) != 2 || !used)
            return FSD_ERR_INVALID;
        lines[n] = (struct fsd_line){kinds[n], rest + used, qty, price,
                                     part};
        n++;
    }
    if (only_options(argc, argv, quote_options, no_flags, 1) ||
        findings(argc, argv, &f))
        return FSD_ERR_INVALID;
    return fsd_quote(c, job, &f, lines, n);
}

/* The --part ID:QTY[:SERIAL[:REPLACED]] options into parts; how many, or
 * -1 for a malformed one.  serial and faulty hold the strings. */
struct part_args {
    struct fsd_part_use parts[100];
    char serial[100][101], faulty[100][101];
};

static int parse_parts(int argc, char **argv, struct part_args *pa)
{
    int n = 0;

    for (int i = 0; i + 1 < argc && n < 100; i++) {
        unsigned long long id;
        unsigned qty;
        int k;
        if (strcmp(argv[i], "--part"))
            continue;
        pa->serial[n][0] = pa->faulty[n][0] = '\0';
        k = sscanf(argv[i + 1], "%llu:%u:%100[^:]:%100s", &id, &qty,
                   pa->serial[n], pa->faulty[n]);
        if (k < 2)
            return -1;
        pa->parts[n] = (struct fsd_part_use){
            id, qty, k > 2 ? pa->serial[n] : NULL,
            k > 3 ? pa->faulty[n] : NULL};
        n++;
    }
    return n;
}

/* The --labour QTY:PRICE:TEXT options into labour; how many, or -1 for
 * a malformed one. */
static int parse_labour(int argc, char **argv, struct fsd_labour *labour)
{
    int n = 0;

    for (int i = 0; i + 1 < argc; i++) {
        unsigned qty;
        long long price;
        int used = 0;
        if (strcmp(argv[i], "--labour"))
            continue;
        if (n == 20 || sscanf(argv[i + 1], "%u:%lld:%n", &qty, &price,
                              &used) != 2 || !used)
            return -1;
        labour[n++] = (struct fsd_labour){argv[i + 1] + used, qty, price};
    }
    return n;
}

static const char *const outcome_options[] = {"--notes", "--part",
                                              "--labour", NULL};

static int outcome(fsd_client *c, uint64_t job, int argc, char **argv)
{
    static struct part_args pa;
    struct fsd_labour labour[20];
    int n = parse_parts(argc, argv, &pa);
    int nl = parse_labour(argc, argv, labour);

    if (n < 0 || nl < 0 || argc < 1 ||
        only_options(argc - 1, argv + 1, outcome_options, no_flags, 0))
        return FSD_ERR_INVALID; /* main prints the usage */
    return fsd_outcome_labour(c, job, argv[0], opt(argc, argv, "--notes"),
                              pa.parts, (size_t)n, labour, (size_t)nl);
}

/* parts JOB --sku X --qty N [--serial S --replaced S], or --part ... */
static int parts(fsd_client *c, uint64_t job, int argc, char **argv)
{
    static struct part_args pa;
    const char *sku = opt(argc, argv, "--sku");
    int n;
    int rc;

    if (sku) {
        struct fsd_part_use u = {0, (unsigned)atoi(opt(argc, argv, "--qty")
                                                       ? opt(argc, argv,
                                                             "--qty")
                                                       : "1"),
                                 opt(argc, argv, "--serial"),
                                 opt(argc, argv, "--replaced")};
        if ((rc = fsd_job_part_id(c, job, sku, &u.part_id)))
            return rc;
        return fsd_parts_used(c, job, &u, 1);
    }
    if ((n = parse_parts(argc, argv, &pa)) < 0)
        return FSD_ERR_INVALID; /* main prints the usage */
    return fsd_parts_used(c, job, pa.parts, (size_t)n);
}

/* Up to max + 1 bytes of file into a new buffer (*len), or NULL (said on
 * stderr, naming what). */
static uint8_t *slurp(const char *file, size_t max, size_t *len,
                      const char *what)
{
    FILE *f = file ? fopen(file, "rb") : NULL;
    uint8_t *b = f ? malloc(max + 1) : NULL;

    if (!b) {
        fprintf(stderr, "fsd-tech: cannot read the %s\n", what);
        if (f)
            fclose(f);
        return NULL;
    }
    *len = fread(b, 1, max + 1, f);
    fclose(f);
    return b;
}

static int sign_off(fsd_client *c, uint64_t job, int argc, char **argv)
{
    const char *reject = opt(argc, argv, "--reject");
    const char *rating = opt(argc, argv, "--rating");
    const char *shown = opt(argc, argv, "--summary");
    uint8_t *png, *summary = NULL;
    size_t len = 0, slen = 0;
    int rc;

    if (reject)
        return fsd_sign_off(c, job, "", 0, NULL, 0, reject, 0);
    if (!(png = slurp(opt(argc, argv, "--signature"), 256 * 1024, &len,
                      "signature image")))
        return FSD_ERR_INVALID;
    if (shown && !(summary = slurp(shown, 16384, &slen, "summary"))) {
        free(png);
        return FSD_ERR_INVALID;
    }
    rc = shown ? fsd_sign_off_summary(c, job, opt(argc, argv, "--name"),
                                      (unsigned)atoi(rating ? rating : "0"),
                                      png, len, opt(argc, argv, "--comment"),
                                      (const char *)summary, slen)
               : fsd_sign_off(c, job, opt(argc, argv, "--name"),
                              (unsigned)atoi(rating ? rating : "0"), png,
                              len, opt(argc, argv, "--comment"), 1);
    free(summary);
    free(png);
    return rc;
}

/* The commands that take a job id first. */
static int job_command(fsd_client *c, const char *cmd, int argc, char **argv)
{
    uint64_t job;
    struct fsd_findings f;

    if (argc < 1 || !(job = strtoull(argv[0], NULL, 10)))
        return FSD_ERR_INVALID;
    argc--, argv++;
    if (!strcmp(cmd, "en-route"))
        return fsd_en_route(c, job);
    if (!strcmp(cmd, "arrive"))
        return fsd_arrive(c, job);
    if (!strcmp(cmd, "note"))
        return argc ? fsd_note(c, job, argv[0]) : FSD_ERR_INVALID;
    if (!strcmp(cmd, "warranty")) {
        static const char *const with_value[] = {"--findings", NULL};
        static const char *const flags[] = {"--replacement", NULL};
        if (only_options(argc, argv, with_value, flags, 1) ||
            findings(argc, argv, &f))
            return FSD_ERR_INVALID;
        return fsd_warranty(c, job, has(argc, argv, "--replacement"), &f);
    }
    if (!strcmp(cmd, "quote"))
        return quote(c, job, argc, argv);
    if (!strcmp(cmd, "outcome"))
        return outcome(c, job, argc, argv);
    if (!strcmp(cmd, "parts"))
        return parts(c, job, argc, argv);
    if (!strcmp(cmd, "sign-off"))
        return sign_off(c, job, argc, argv);
    if (!strcmp(cmd, "quote-answer")) { /* the customer's, on this device */
        static const char *const with_value[] = {"--name", "--reason", NULL};
        static const char *const flags[] = {"--approve", "--decline", NULL};
        int yes = has(argc, argv, "--approve");
        if (only_options(argc, argv, with_value, flags, 0) ||
            yes == has(argc, argv, "--decline"))
            return FSD_ERR_INVALID;
        return fsd_quote_answer(c, job, yes, opt(argc, argv, "--name"),
                                opt(argc, argv, "--reason"));
    }
    return FSD_ERR_INVALID;
}

/* Today in the device's local time zone, as [from, to). */
static void today(int64_t *from, int64_t *to)
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    *from = (int64_t)mktime(&tm);
    tm.tm_mday++;
    tm.tm_isdst = -1;
    *to = (int64_t)mktime(&tm);
}

static int run(fsd_client *c, const char *cmd, int argc, char **argv)
{
    struct fsd_sync_result r;
    int rc;

    if (!strcmp(cmd, "enroll")) {
        rc = fsd_enroll(c, opt(argc, argv, "--server"),
                        opt(argc, argv, "--code"), opt(argc, argv, "--name"));
        if (rc == FSD_OK && json_out)
            emit(json_pack("{s:I}", "device_id",
                           (json_int_t)fsd_device_id(c)));
        else if (rc == FSD_OK)
            printf("enrolled as device %llu\n",
                   (unsigned long long)fsd_device_id(c));
        return rc;
    }
    if (!strcmp(cmd, "sync")) {
        rc = fsd_sync(c, &r);
        if (rc == FSD_OK && json_out)
            emit(json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "bundles",
                           r.bundles, "acked", r.acked, "rejected",
                           r.rejected, "conflicts", r.conflicts,
                           "jobs_changed", r.jobs_changed, "jobs_removed",
                           r.jobs_removed));
        else if (rc == FSD_OK)
            printf("synced: %d bundle(s), %d acknowledged (%d rejected, %d"
                   " conflicts), %d job(s) updated, %d removed\n",
                   r.bundles, r.acked, r.rejected, r.conflicts,
                   r.jobs_changed, r.jobs_removed);
        return rc;
    }
    if (!strcmp(cmd, "show")) {
        uint64_t job = argc ? strtoull(argv[0], NULL, 10) : 0;
        if (!job)
            return FSD_ERR_INVALID;
        rc = fsd_job_detail(c, job, print_detail, NULL);
        /* a job not on the device is a refusal, not bad usage */
        return rc == FSD_ERR_INVALID ? FSD_ERR_REFUSED : rc;
    }
    if (!strcmp(cmd, "jobs") || !strcmp(cmd, "outbox")) {
        struct job_filter f = {json_array(), 0, 0};
        if (has(argc, argv, "--today"))
            today(&f.from, &f.to);
        rc = !strcmp(cmd, "jobs") ? fsd_jobs(c, print_job, &f)
                                  : fsd_outbox(c, print_item, &f);
        if (rc == FSD_OK && json_out)
            emit(f.items);
        else
            json_decref(f.items);
        return rc;
    }
    rc = job_command(c, cmd, argc, argv);
    if (rc == FSD_OK && !json_out)
        printf("queued; it is uploaded at the next sync\n");
    return rc;
}

int main(int argc, char **argv)
{
    const char *store = getenv("FSD_TECH_STORE"), *ca_file = NULL;
    char errbuf[300];
    fsd_client *c;
    int i = 1, rc;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--store") && i + 1 < argc)
            store = argv[++i];
        else if (!strcmp(argv[i], "--ca-file") && i + 1 < argc)
            ca_file = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            json_out = 1;
        else
            return usage();
    }
    if (i >= argc)
        return usage();
    if (fsd_open(store ? store : "fsd-tech.db", &c, errbuf, sizeof errbuf)) {
        fprintf(stderr, "fsd-tech: %s\n", errbuf);
        return 1;
    }
    rc = fsd_set_ca_file(c, ca_file);
    if (rc == FSD_OK)
        rc = run(c, argv[i], argc - i - 1, argv + i + 1);
    if (rc == FSD_ERR_INVALID && !fsd_last_error(c)[0])
        rc = usage();
    else if (rc)
        rc = fail(c, rc);
    fsd_close(c);
    return rc;
}
