/*
 * time_off.c - a technician's days off (time_off.h).  A row whose dates do
 * not parse puts nobody off: the schema's CHECKs keep such rows out.
 */
#include "rules/time_off.h"
#include "common/timefmt.h"

int time_off_on(const json_t *rows, int64_t technician_id, int64_t day)
{
    const json_t *r;
    size_t i;

    json_array_foreach(rows, i, r) {
        const char *a = json_string_value(json_object_get(r, "first_day"));
        const char *b = json_string_value(json_object_get(r, "last_day"));
        int64_t first, last;

        if (json_integer_value(json_object_get(r, "technician_id")) !=
                technician_id ||
            !a || !b || timefmt_parse_date(a, &first) ||
            timefmt_parse_date(b, &last))
            continue;
        if (first <= day && day <= last)
            return 1;
    }
    return 0;
}
