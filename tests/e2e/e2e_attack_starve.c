/*
 * e2e_attack_starve.c - slow and idle clients cannot take every worker
 * thread (CivetWeb gives each connection one, 64 by default).  Twice as
 * many connections as threads, each left in mid-request as an attacker
 * leaves it -- a half-sent head, a head and one byte of its body, a body
 * trickled a byte at a time, an idle keep-alive connection -- while a
 * new client still gets /healthz and a logged-in GET /api/v1/jobs within
 * STARVE_MS; the stalled bodies get a 400 incomplete_body and create
 * nothing.  And a body's clock: an upload that keeps up --body-min-rate
 * is taken however long it lasts, one that falls below it is cut off.
 * Also the slowloris of twenty request lines sent a byte at a time.
 */
#include "attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ATTACKERS 128 /* twice the default --threads */
#define ROUNDS 4      /* probes of each attack, 250 ms apart */
/* The first connections come while threads are free and keep the whole
 * --request-timeout-ms (3 s); those after them have a second (workers.h):
 * a probe queued behind all of them waits about 3 s.  Before both clocks,
 * it waited 6 s for heads and 12 s for bodies. */
#define STARVE_MS 5000

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 +
           (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Open ATTACKERS connections and send each the opening bytes. */
static int open_attackers(int *fds, const char *opening)
{
    int opened = 0;

    for (int i = 0; i < ATTACKERS; i++) {
        fds[i] = raw_open(NULL);
        if (fds[i] >= 0 &&
            send(fds[i], opening, strlen(opening), MSG_NOSIGNAL) < 0) {
            close(fds[i]);
            fds[i] = -1;
        }
        opened += fds[i] >= 0;
    }
    return opened;
}

/* The server has answered on fd, or closed it: sending more would only
 * get a reset, which can discard the answer before it is read. */
static int answered(int fd)
{
    char c;

    return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
}

/* One more byte on each attacker the server has not answered yet. */
static void feed_attackers(const int *fds)
{
    for (int i = 0; i < ATTACKERS; i++)
        if (fds[i] >= 0 && !answered(fds[i]))
            send(fds[i], " ", 1, MSG_NOSIGNAL);
}

static void close_attackers(int *fds)
{
    for (int i = 0; i < ATTACKERS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* /healthz for anyone and GET /api/v1/jobs for c, both 200; the time
 * both took, or -1 when one failed. */
static long probe(struct e2e_client *anyone, struct e2e_client *c)
{
    struct e2e_reply r = E2E_REPLY_INIT, jobs = E2E_REPLY_INIT;
    struct timespec t0;
    long ms, health, list;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    health = e2e_get(anyone, "/healthz", &r);
    list = e2e_get(c, "/api/v1/jobs", &jobs);
    ms = elapsed_ms(&t0);
    e2e_reply_release(&r);
    e2e_reply_release(&jobs);
    return health == 200 && list == 200 ? ms : -1;
}

/* The reply an attacker got before the server closed it, read to its
 * end (at most raw_open's 5 s). */
static long attacker_reply(int fd, char *buf, size_t size)
{
    size_t len = 0;
    ssize_t n;
    long status = 0;

    while (len + 1 < size && (n = recv(fd, buf + len, size - len - 1, 0)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    sscanf(buf, "HTTP/1.%*d %ld", &status);
    return status;
}

/*
 * Open the attackers with opening, probe ROUNDS times (feeding a byte to
 * each attacker between probes when trickle), and assert every probe
 * within STARVE_MS.  The first attacker's reply goes into reply.
 */
static void starve(const char *family, const char *opening, int trickle,
                   struct e2e_client *c, char *reply, size_t size)
{
    struct e2e_client anyone;
    int fds[ATTACKERS], opened;
    long worst = 0;
    struct tally t;

    e2e_client_init(&anyone, e2e_srv.base);
    tally_init(&t, family);
    opened = open_attackers(fds, opening);
    tally_check(&t, opened == ATTACKERS, "%d of %d connections opened",
                opened, ATTACKERS);
    for (int round = 0; round < ROUNDS; round++) {
        long ms = probe(&anyone, c);

        tally_check(&t, ms >= 0 && ms < STARVE_MS,
                    "round %d: /healthz and /api/v1/jobs %s after %ld ms",
                    round, ms >= 0 ? "answered" : "failed", ms);
        worst = ms > worst ? ms : worst;
        if (trickle)
            feed_attackers(fds);
        pause_ms(250);
    }
    if (reply && fds[0] >= 0)
        attacker_reply(fds[0], reply, size);
    close_attackers(fds);
    printf("e2e starve: %d connections (%s), /healthz and GET /api/v1/jobs"
           " answered in %ld ms at worst\n", opened, family, worst);
    tally_finish(&t, NULL, NULL);
    e2e_client_release(&anyone);
}

START_TEST(half_sent_heads_do_not_starve_the_others)
{
    struct e2e_client c;

    e2e_as_role(&c, "dispatcher", NULL);
    starve("half-sent heads", "GET /healthz HTTP/1.1\r\nHost: x\r\n", 0,
           &c, NULL, 0);
    e2e_client_release(&c);
}
END_TEST

#define STALLED_BODY "{\"name\":\"Stalled Ltd\""

/* A request for a new customer whose body stops after its first bytes. */
static void stalled_customer(const char *bearer, char *out, size_t size)
{
    snprintf(out, size,
             "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
             "Authorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 100\r\n"
             "\r\n" STALLED_BODY,
             bearer);
}

/* starve() with stalled customers' bodies (trickled, when trickle): the
 * database unchanged, the first attacker refused with a message holding
 * expected. */
static void starve_bodies(const char *family, int trickle,
                          const char *expected)
{
    struct e2e_client c;
    struct fingerprint before, after;
    char opening[512], reply[2048];

    e2e_as_role(&c, "dispatcher", NULL);
    stalled_customer(c.bearer, opening, sizeof opening);
    fp_take(&before);
    starve(family, opening, trickle, &c, reply, sizeof reply);
    fp_take(&after);
    ck_assert_msg(fp_same(&before, &after, opening, sizeof opening),
                  "%s changed %s", family, opening);
    ck_assert_msg(strstr(reply, "HTTP/1.1 400") &&
                      strstr(reply, "\"code\":\"incomplete_body\"") &&
                      strstr(reply, expected),
                  "%s: the first got %s", family, reply);
    e2e_client_release(&c);
}

START_TEST(stalled_bodies_do_not_starve_the_others)
{
    char expected[160];

    snprintf(expected, sizeof expected,
             "request body was not sent in time: %zu of the 100 bytes its"
             " Content-Length announced arrived",
             strlen(STALLED_BODY));
    starve_bodies("stalled bodies", 0, expected);
}
END_TEST

START_TEST(trickled_bodies_do_not_starve_the_others)
{
    starve_bodies("trickled bodies", 1, "request body was not sent in time");
}
END_TEST

/* Open a connection, ask for /healthz on it, read the reply and keep the
 * connection open (idle, as a keep-alive client between requests). */
static int keep_alive_once(void)
{
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    char buf[512];
    int fd = raw_open(NULL);

    if (fd < 0 || send(fd, req, sizeof req - 1, MSG_NOSIGNAL) < 0 ||
        recv(fd, buf, sizeof buf, 0) <= 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

START_TEST(idle_keep_alive_clients_do_not_hold_every_worker)
{
    struct e2e_client c, anyone;
    int fds[ATTACKERS], opened = 0;
    long ms;

    e2e_as_role(&c, "dispatcher", NULL);
    e2e_client_init(&anyone, e2e_srv.base);
    for (int i = 0; i < ATTACKERS; i++)
        opened += (fds[i] = keep_alive_once()) >= 0;
    ms = probe(&anyone, &c);
    close_attackers(fds);
    printf("e2e starve: %d idle keep-alive connections, /healthz and GET"
           " /api/v1/jobs answered in %ld ms\n", opened, ms);
    ck_assert_msg(ms >= 0 && ms < 2000,
                  "%d idle connections: answers %s after %ld ms", opened,
                  ms >= 0 ? "came" : "failed", ms);
    e2e_client_release(&anyone);
    e2e_client_release(&c);
}
END_TEST

#define SLOW_CONNS 20
#define SLOW_ROUNDS 25 /* 25 x 200 ms: 5 s */

START_TEST(slow_clients_do_not_starve_the_others)
{
    static const char line[] = "GET /api/v1/customers?slow=aaaaaaaaaaaaaaaaaa"
                               "aaaaaaaaaaaaaaaaaaaaaaaaaaa";
    struct timespec t0;
    struct fingerprint before, after;
    struct tally t;
    int fds[SLOW_CONNS];
    long worst = 0;

    tally_init(&t, "slowloris");
    fp_take(&before);
    for (int i = 0; i < SLOW_CONNS; i++) {
        fds[i] = raw_open(NULL);
        tally_check(&t, fds[i] >= 0, "slow connection %d not opened", i);
    }
    for (int round = 0; round < SLOW_ROUNDS; round++) {
        long ms;
        int ok;
        for (int i = 0; i < SLOW_CONNS; i++)
            if (fds[i] >= 0)
                send(fds[i], line + round, 1, MSG_NOSIGNAL);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ok = e2e_healthy(e2e_srv.base);
        ms = elapsed_ms(&t0);
        tally_check(&t, ok && ms < 1000,
                    "round %d: /healthz %s after %ld ms", round,
                    ok ? "200" : "failed", ms);
        worst = ms > worst ? ms : worst;
        pause_ms(200);
    }
    for (int i = 0; i < SLOW_CONNS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy at the end");
    printf("e2e slowloris: %d half-sent request lines, the slowest"
           " /healthz took %ld ms\n", SLOW_CONNS, worst);
    fp_take(&after);
    tally_finish(&t, &before, &after);
}
END_TEST

/* A customer's body of 2,000 bytes sent in pieces of piece bytes every
 * gap_ms until the server answers; the reply's status, and the reply
 * into reply. */
#define PACED_BODY "{\"name\":\"Paced Ltd\",\"phone\":\"+49 30 5555\""

static long paced_customer(const struct e2e_client *c, int piece,
                           long gap_ms, char *reply, size_t size)
{
    char head[512], body[2001];
    int fd = raw_open(NULL), n;
    long status;

    memset(body, ' ', 2000);
    memcpy(body, PACED_BODY, strlen(PACED_BODY));
    body[1999] = '}';
    n = snprintf(head, sizeof head,
                 "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
                 "Authorization: Bearer %s\r\nConnection: close\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2000\r\n"
                 "\r\n",
                 c->bearer);
    ck_assert_int_ge(fd, 0);
    send(fd, head, (size_t)n, MSG_NOSIGNAL);
    for (int sent = 0; sent < 2000 && !answered(fd); sent += piece) {
        if (send(fd, body + sent, (size_t)piece, MSG_NOSIGNAL) < 0)
            break;
        pause_ms(gap_ms);
    }
    status = attacker_reply(fd, reply, size);
    close(fd);
    return status;
}

/* The server of this case: a body has 500 ms and earns a second per
 * 1,000 bytes received. */
static void setup_paced(void)
{
    static const char *const args[] = {"--request-timeout-ms", "500",
                                       "--body-min-rate", "1000", NULL};
    e2e_setup_with(args);
}

START_TEST(a_body_keeping_the_minimum_rate_is_taken_whole)
{
    struct e2e_client c;
    char reply[2048];

    e2e_as_role(&c, "dispatcher", NULL);
    /* 200 bytes every 150 ms: about 1,300 bytes a second, 1.5 s in all,
     * three times the 500 ms a body has before it earns more */
    ck_assert_msg(paced_customer(&c, 200, 150, reply, sizeof reply) == 201,
                  "a steady upload got: %s", reply);
    /* 50 bytes every 150 ms: about 330 bytes a second */
    ck_assert_msg(paced_customer(&c, 50, 150, reply, sizeof reply) == 400 &&
                      strstr(reply, "\"code\":\"incomplete_body\"") &&
                      strstr(reply, "request body was not sent in time"),
                  "an upload below the minimum rate got: %s", reply);
    e2e_client_release(&c);
}
END_TEST

void attack_starve_tcases(Suite *s)
{
    TCase *tc = tcase_create("starve");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, half_sent_heads_do_not_starve_the_others);
    tcase_add_test(tc, stalled_bodies_do_not_starve_the_others);
    tcase_add_test(tc, trickled_bodies_do_not_starve_the_others);
    tcase_add_test(tc, idle_keep_alive_clients_do_not_hold_every_worker);
    tcase_add_test(tc, slow_clients_do_not_starve_the_others);
    suite_add_tcase(s, tc);

    tc = tcase_create("body_rate");
    tcase_add_unchecked_fixture(tc, setup_paced, e2e_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_body_keeping_the_minimum_rate_is_taken_whole);
    suite_add_tcase(s, tc);
}
