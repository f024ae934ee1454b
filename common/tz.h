/*
 * tz.h - IANA time zones: UTC offsets at an instant and local wall-clock
 * times to UTC, read from the system's compiled TZif files
 * (/usr/share/zoneinfo, Debian's tzdata).
 *
 * Never touches the process's TZ, tzset, localtime or mktime: the server
 * is multi-threaded.  Only the explicit transitions of a file are used;
 * the POSIX TZ footer is not parsed.  Debian ships "fat" files with
 * transitions up to 2037, and beyond a zone's last transition its last
 * transition's offset holds forever (so DST stops after 2037).  Before
 * the first transition the file's first time type applies.  Leap-second
 * files ("right/...") are refused.
 */
#ifndef FSD_TZ_H
#define FSD_TZ_H

#include "common/err.h"

#include <stdint.h>

#define TZ_NAME_MAX 64 /* longest zone name accepted, in bytes */

/* A loaded zone: opaque, immutable after load, shareable between threads. */
struct tz;

/*
 * Find a zone by IANA name ("Europe/Berlin", "UTC"): 0 and *out, or
 * ERR_INVALID, code "invalid_timezone", field "timezone", *out untouched:
 *   "invalid time zone name \"...\""  malformed: not [A-Za-z0-9_+-]
 *       segments separated by single '/'s, or over TZ_NAME_MAX bytes (the
 *       name is quoted in printable ASCII, cut at TZ_NAME_MAX)
 *   "unknown time zone \"...\""  no such file, or not a valid TZif file
 * Zones are loaded once and cached for the life of the process under a
 * mutex; *out is borrowed and stays valid until tz_cache_clear().
 * Failures are not cached.
 */
int tz_get(const char *name, const struct tz **out, struct err *err)
    __attribute__((warn_unused_result));

/* The zone called name (NULL allowed), else UTC, else NULL when not even
 * UTC can be loaded (callers then count times as UTC). */
const struct tz *tz_get_or_utc(const char *name);

/*
 * Load the TZif file at path, uncached (tz_get uses it): 0 and *out,
 * which the caller frees with tz_free, or ERR_INVALID ("invalid_timezone",
 * field "timezone") with "cannot open time zone file \"path\"" or
 * "\"path\" is not a valid TZif file (reason)": truncated, corrupt, a
 * directory, over 256 KiB, or with leap seconds.
 */
int tz_load_file(const char *path, struct tz **out, struct err *err)
    __attribute__((warn_unused_result));

/* Free a zone from tz_load_file (NULL is fine); never one from tz_get. */
void tz_free(struct tz *z);

/* UTC offset in seconds (east positive) at the UTC instant utc. */
int32_t tz_offset_at(const struct tz *z, int64_t utc);

/*
 * The UTC instant of a local wall-clock time given as seconds since
 * 1970-01-01T00:00 local (days_from_civil * 86400 + seconds of the day).
 * In a gap (spring forward) the time moves forward by the gap: Berlin's
 * 02:30 that does not exist is 03:30 local, the instant 30 minutes after
 * the transition.  In an overlap (fall back) the earlier instant is taken.
 */
int64_t tz_local_to_utc(const struct tz *z, int64_t local);

/* Free every cached zone (tests and shutdown): tz_get pointers die. */
void tz_cache_clear(void);

#endif
