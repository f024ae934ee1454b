/*
 * api.h - the request handlers the route table (routes.c) points at.
 *
 * Each is a thin `int fn(struct req *, struct err *)`: parse, call the
 * store or a rule module, reply.  See http.h for the contract.
 */
#ifndef FSD_API_H
#define FSD_API_H

#include "http/http.h"
#include "model/resource.h"

/* api_res.c: generic resource handlers; route arg is the resource */
int api_res_list(struct req *req, struct err *err);
int api_res_get(struct req *req, struct err *err);
int api_res_create(struct req *req, struct err *err);
int api_res_update(struct req *req, struct err *err);
int api_res_delete(struct req *req, struct err *err);
/* Copy each of keys from row into out as RFC 3339 text (null when the
 * row has no Unix-seconds integer there). */
void api_copy_instants(json_t *out, const json_t *row,
                       const char *const *keys, size_t n);
/* Render a stored row with res's fields, reply with status; frees row. */
int api_reply_row(struct req *req, int status, const struct resource *res,
                  json_t *row);

/* api_company.c: the company profile */
int api_company_get(struct req *req, struct err *err);
int api_company_update(struct req *req, struct err *err);

/* api_auth.c: login, logout, the caller's own account */
int api_login(struct req *req, struct err *err);
int api_logout(struct req *req, struct err *err);
int api_me(struct req *req, struct err *err);
int api_me_password(struct req *req, struct err *err);

/* api_jobs.c: lifecycle events and the job's timeline */
/* The state machine's role (enum job_role bit) of a staff user role. */
unsigned api_job_role(const char *role);
int api_job_event(struct req *req, struct err *err);
int api_job_timeline(struct req *req, struct err *err);
int api_jobs_at_risk(struct req *req, struct err *err);

/* api_records.c: a job's record, part approval, payment, entitlement */
int api_job_record(struct req *req, struct err *err);
int api_job_signature(struct req *req, struct err *err);
int api_job_part_approve(struct req *req, struct err *err);
int api_invoice_payment(struct req *req, struct err *err);
int api_customer_entitlement(struct req *req, struct err *err);
int api_asset_skills(struct req *req, struct err *err);

/* api_devices.c: enrollment codes (staff) and device enrollment */
int api_enrollment_code_create(struct req *req, struct err *err);
int api_sync_enroll(struct req *req, struct err *err);
int api_sync_keysets(struct req *req, struct err *err);
/* sync.c: a device's upload and its bundle */
int api_sync(struct req *req, struct err *err);

/* api_assign.c: candidates, manual assignment, a day's plans */
int api_job_candidates(struct req *req, struct err *err);
int api_job_assign(struct req *req, struct err *err);
int api_plan_create(struct req *req, struct err *err);
int api_plan_get(struct req *req, struct err *err);
int api_plan_apply(struct req *req, struct err *err);

/* api_slots.c: a job's appointment slots */
int api_job_slots(struct req *req, struct err *err);
struct slot_problem_want;
/* The slots of job id as JSON (*out, caller's): for staff with the
 * technician, for a customer start and end only. */
int api_slots_answer(struct req *req, int64_t id,
                     const struct slot_problem_want *want, int staff,
                     json_t **out, struct err *err);

/* api_links.c: customers' links, made and revoked by staff */
int api_link_create(struct req *req, struct err *err);
int api_link_revoke(struct req *req, struct err *err);

/* api_auth.c: a slot to hash a password in (pwgate.h); ERR_RATE_LIMITED
 * (429 busy, with Retry-After) when none comes free soon.  Pair with
 * pwgate_leave(req->app->passwords). */
int api_password_slot(struct req *req, struct err *err);

/* api_public.c: the gate of every public route */
/* Count the request against its address: ERR_RATE_LIMITED (429, with
 * Retry-After) once over the limit. */
int api_public_admit(struct req *req, struct err *err);
/* The hash of the path's {token}; the one 404 for a malformed token. */
int api_public_token(struct req *req, unsigned char hash[32],
                     struct err *err);
struct company;
/* The company profile into *co, its name set on job (a store_link_job
 * row) as "company" for api_public_job. */
int api_public_company(struct req *req, json_t *job, struct company *co,
                       struct err *err);
/* The job behind the path's token for purpose (store_link_job's row with
 * "company"); the one 404 for every way a token can fail. */
int api_public_link(struct req *req, const char *purpose, json_t **job,
                    struct err *err);
/* Copy row's window_start/window_end into out as RFC 3339 text. */
void api_public_window(json_t *out, const json_t *row);
/* A job row as its customer sees it: kind, fault, status, duration,
 * customer name, time zone, the company's name and the booked window;
 * nothing internal. */
json_t *api_public_job(const json_t *row);

/* api_bookings.c: a customer's booking link */
int api_public_booking(struct req *req, struct err *err);
int api_public_hold(struct req *req, struct err *err);
int api_public_confirm(struct req *req, struct err *err);
int api_public_reschedule(struct req *req, struct err *err);
int api_public_cancel(struct req *req, struct err *err);
int api_public_ics(struct req *req, struct err *err);

/* api_public_quotes.c: a customer's quote link */
int api_public_quote(struct req *req, struct err *err);
int api_public_quote_answer(struct req *req, struct err *err);

/* api_board.c: the dispatcher's board, the changes it follows, and sync
 * conflicts */
int api_board(struct req *req, struct err *err);
int api_changes(struct req *req, struct err *err);
int api_job_conflicts(struct req *req, struct err *err);
int api_conflict_resolve(struct req *req, struct err *err);

/* api_pages.c: the web pages (the dispatcher's app, the customer's page
 * for a link) and the static files they load */
int api_app_page(struct req *req, struct err *err);
int api_public_page(struct req *req, struct err *err);
int api_tech_page(struct req *req, struct err *err);
int api_tech_worker(struct req *req, struct err *err);
int api_static(struct req *req, struct err *err);

/* api_parts.c: receiving stock */
int api_part_receive(struct req *req, struct err *err);

/* api_reports.c: the summary report */
int api_report_summary(struct req *req, struct err *err);

/* api_users.c: accounts and API tokens (admin) */
int api_user_create(struct req *req, struct err *err);
int api_token_create(struct req *req, struct err *err);

/* api_ops.c: health, metrics, the OpenAPI document */
int api_healthz(struct req *req, struct err *err);
int api_metrics(struct req *req, struct err *err);
int api_openapi(struct req *req, struct err *err);

/* routes.c: the route table */
extern const struct route api_routes[];
extern const size_t api_nroutes;

#endif
