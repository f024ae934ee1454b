/*
 * fault.h - the crash-safety run (make fault): what its parts share.
 *
 * server.c starts the real fsd-server as a child process and SIGKILLs and
 * restarts it; api.c is the staff API client that sets the world up (jobs
 * assigned to technicians, enrollment codes); storm.c runs simulated
 * devices (the real SDK, libfsdclient) uploading notes while the server is
 * killed at random moments; dbcheck.c reads the server's database after
 * the fact; devkill.c kills a device (a child process of this program, see
 * devchild.c) in the middle of applying a bundle and inspects its store.
 * Every wait is bounded; an invariant that does not hold is reported with
 * fault_violation() and makes the run exit non-zero.
 */
#ifndef FSD_FAULT_H
#define FSD_FAULT_H

#include "fsd_client.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FAULT_TECHS 8         /* the demo's technicians */
#define FAULT_JOBS_PER_TECH 10
#define FAULT_MAX_JOBS 64     /* per device */
#define FAULT_MIN_KILLS 20    /* of the server, and of devices mid-apply */

/* --- server.c: the real server as a child process --- */
struct fault_server {
    const char *bin;     /* path of fsd-server */
    char dir[256];       /* scratch directory */
    char db[300];        /* dir/fsd.db */
    char base[64];       /* http://127.0.0.1:PORT */
    int port;            /* chosen at the first start, kept after */
    pid_t pid;           /* 0 when not running */
    double last_start_ms; /* how long the last start took */
};

/* Make dir, run `init` and `demo` in it.  0 or -1. */
int fault_server_init(struct fault_server *s, const char *bin,
                      const char *dir);
/* Serve (port 0 the first time, the same port after) and wait for
 * /healthz.  0 or -1. */
int fault_server_start(struct fault_server *s);
/* SIGKILL the server and reap it. */
void fault_server_kill(struct fault_server *s);
/* SIGTERM it and wait (SIGKILL after a bound); its exit status or -1. */
int fault_server_stop(struct fault_server *s);

/* --- moment.c: when to kill the server --- */
enum { FAULT_KILL_TIMED, FAULT_KILL_SOON, FAULT_KILL_COMMIT };
struct fault_plan {
    double seconds;  /* the storm's planned length */
    double left;     /* of it */
    double start_ms; /* the last restart's duration */
    int min_kills;
    long kills;      /* so far */
};
/* Wait for a random moment of a random kind; the kind. */
int fault_kill_moment(const struct fault_server *s, unsigned *seed,
                      const struct fault_plan *p);
/* Return once the server wrote its WAL (and, quiet_ms > 0, the writes
 * went quiet that long); 0, or -1 when nothing was written in time (or
 * there is no WAL to watch). */
int fault_await_commit(const struct fault_server *s, int quiet_ms);

/* --- api.c: the staff API, as the demo dispatcher --- */
struct fault_api;
struct fault_api *fault_api_login(const char *base);
void fault_api_free(struct fault_api *a);
/* The ids of up to max active technicians; how many. */
int fault_api_technicians(struct fault_api *a, int64_t *ids, int max);
/* A new job for tech, booked, parts reserved and assigned; 0 on error. */
int64_t fault_api_assigned_job(struct fault_api *a, int64_t tech);
/* A one-time enrollment code for tech into code.  0 or -1. */
int fault_api_code(struct fault_api *a, int64_t tech, char *code,
                   size_t size);

/* --- storm.c: devices uploading while the server dies --- */
struct fault_note {
    char mid[32];          /* the mutation id the SDK gave it */
    unsigned acked : 1;    /* a verified bundle acknowledged it */
    unsigned refused : 1;  /* acked, but rejected or conflict */
    unsigned retried : 1;  /* pending through a failed sync */
    unsigned lost_ack : 1; /* ... yet committed: its ack died in a kill */
    unsigned unacked_at_end : 1;
    unsigned once_at_end : 1; /* un-acked, yet in the database once */
};

struct fault_device {
    int index;
    int64_t id, tech;
    char store[300];
    fsd_client *c;
    sqlite3 *srv;          /* a read connection to the server's database */
    int64_t jobs[FAULT_MAX_JOBS];
    int njobs;
    struct fault_note *notes;
    size_t nnotes, cap;
    unsigned seed;
    long syncs, failed, refused, verify, io;
};

struct fault_storm {
    struct fault_device *devs;
    int ndev;
    long kills;
    long kinds[3];   /* kills by FAULT_KILL_* */
    double seconds;
};

/* Enroll ndev devices for techs (round robin) and sync them once. */
int fault_devices_setup(struct fault_storm *st, struct fault_api *a,
                        const struct fault_server *s, const int64_t *techs,
                        int ntech, int ndev);
/* Devices upload notes while the server is killed and restarted at random
 * moments for about seconds (and at least min_kills times); the last kill
 * ends the storm and leaves the server down. */
int fault_storm_run(struct fault_storm *st, struct fault_server *s,
                    double seconds, int min_kills);
/* Sync every device until its outbox is empty (no kills).  0 or -1. */
int fault_devices_drain(struct fault_storm *st);
void fault_devices_close(struct fault_storm *st);
/* The note text of device i's k-th note (k from 0). */
void fault_note_text(char *out, size_t size, int dev, size_t k);

/* --- dbcheck.c: the server's database, read directly --- */
struct fault_counts {
    long sent, acked, retried, refused, lost_acks;
    long once, absent, duplicated;   /* in the audit trail */
    long unacked, unacked_once, unacked_absent;
    long lost;                       /* acked but absent */
    long unremembered;               /* present without a result row */
};
/* Count the storm's notes in the database at db.  final: every note must
 * be there exactly once (after the retries). */
int fault_check_notes(const char *db, struct fault_storm *st, int final,
                      struct fault_counts *out);
struct fault_health {
    char integrity[128];
    long fk_rows, gaps, changes;
};
int fault_check_health(const char *db, struct fault_health *out);
/* sqlite3 helpers: the first column of the first row as an integer, or
 * def; a connection opened read-write with a busy timeout (NULL on error). */
int64_t fault_sql_int(sqlite3 *db, const char *sql, int64_t def);
sqlite3 *fault_sql_open(const char *path);

/* --- devkill.c, devstore.c, devchild.c: a device killed mid-apply --- */
#define FAULT_EP_NOTES 3 /* notes a killed device has to upload */

struct fault_episode {   /* one fresh device synced under kills */
    char store[300];
    int64_t device_id, tech, job;
    char mids[FAULT_EP_NOTES][32], texts[FAULT_EP_NOTES][32];
};
enum { FAULT_BETWEEN, FAULT_BEFORE, FAULT_AFTER };
/* Compare a (killed or finished) device's store with the server's
 * database srv: FAULT_BEFORE the server's last bundle for it, FAULT_AFTER
 * it, or FAULT_BETWEEN (a violation, reported).  done: the sync finished,
 * so the store must be after and complete. */
int fault_store_check(const struct fault_episode *e, sqlite3 *srv,
                      int done);
struct fault_devkill {
    int kills, row_kills, commit_kills, timed_kills;
    int before, after, between;
    int episodes, completed, notes;
    int bundles;         /* of the longest first sync */
};
int fault_devkill_run(struct fault_server *s, struct fault_api *a,
                      int64_t tech, const char *dir, double seconds,
                      int min_kills, struct fault_devkill *out);
/* The child: argv after "--device-child": store mode k.  Its exit code. */
int fault_device_child(int argc, char **argv);

/* --- fault_main.c --- */
/* Report a violated invariant (thread-safe); the run will fail. */
void fault_violation(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
double fault_now(void);  /* monotonic seconds */
void fault_sleep_ms(long ms);

#endif
