/*
 * routes.c - the route table: every URL the server answers, its handler
 * and who may call it.  http.c checks method and role from here, once;
 * server/openapi.yaml documents each row (a test holds them in step).
 *
 * Roles: reads of business data are open to all staff; dispatchers and
 * managers change customers, assets and jobs; master data (skills,
 * technicians, parts) is kept by managers and admins; accounts, tokens
 * and the company profile by admins.
 */
#include "api/api.h"

#define STAFF ROLES_STAFF
#define MASTER (ROLE_ADMIN | ROLE_MANAGER)
#define ADMIN ROLE_ADMIN
#define PENDING_OK ROUTE_PASSWORD_PENDING_OK

const struct route api_routes[] = {
    {"GET", "/healthz", api_healthz, ROLE_PUBLIC, 0, 0},
    {"GET", "/metrics", api_metrics, ROLE_ADMIN | ROLE_MANAGER, 0, 0},
    {"GET", "/api/v1/openapi.yaml", api_openapi, ROLE_PUBLIC, 0, 0},

    {"POST", "/api/v1/login", api_login, ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/logout", api_logout, STAFF, 0, PENDING_OK},
    {"GET", "/api/v1/me", api_me, STAFF, 0, PENDING_OK},
    {"POST", "/api/v1/me/password", api_me_password, STAFF, 0, PENDING_OK},

    {"GET", "/api/v1/company", api_company_get, STAFF, 0, 0},
    {"PATCH", "/api/v1/company", api_company_update, ADMIN, 0, 0},

    {"GET", "/api/v1/sla-policies", api_res_list, STAFF, &res_sla_policy, 0},
    {"GET", "/api/v1/sla-policies/{id}", api_res_get, STAFF, &res_sla_policy,
     0},
    {"PATCH", "/api/v1/sla-policies/{id}", api_res_update, MASTER,
     &res_sla_policy, 0},

    {"GET", "/api/v1/reports/summary", api_report_summary, MASTER, 0, 0},

    {"GET", "/api/v1/users", api_res_list, ADMIN, &res_user, 0},
    {"POST", "/api/v1/users", api_user_create, ADMIN, 0, 0},
    {"GET", "/api/v1/users/{id}", api_res_get, ADMIN, &res_user, 0},
    {"PATCH", "/api/v1/users/{id}", api_res_update, ADMIN, &res_user, 0},

    {"GET", "/api/v1/api-tokens", api_res_list, ADMIN, &res_api_token, 0},
    {"POST", "/api/v1/api-tokens", api_token_create, ADMIN, 0, 0},
    {"GET", "/api/v1/api-tokens/{id}", api_res_get, ADMIN, &res_api_token, 0},
    {"DELETE", "/api/v1/api-tokens/{id}", api_res_delete, ADMIN,
     &res_api_token, 0},

    {"GET", "/api/v1/customers", api_res_list, STAFF, &res_customer, 0},
    {"POST", "/api/v1/customers", api_res_create, STAFF, &res_customer, 0},
    {"GET", "/api/v1/customers/{id}", api_res_get, STAFF, &res_customer, 0},
    {"PATCH", "/api/v1/customers/{id}", api_res_update, STAFF, &res_customer, 0},
    {"DELETE", "/api/v1/customers/{id}", api_res_delete, STAFF, &res_customer, 0},
    {"GET", "/api/v1/customers/{id}/entitlement", api_customer_entitlement,
     STAFF, 0, 0},

    {"GET", "/api/v1/assets", api_res_list, STAFF, &res_asset, 0},
    {"POST", "/api/v1/assets", api_res_create, STAFF, &res_asset, 0},
    {"GET", "/api/v1/assets/{id}", api_res_get, STAFF, &res_asset, 0},
    {"PATCH", "/api/v1/assets/{id}", api_res_update, STAFF, &res_asset, 0},
    {"DELETE", "/api/v1/assets/{id}", api_res_delete, STAFF, &res_asset, 0},
    {"GET", "/api/v1/assets/{id}/suggested-skills", api_asset_skills, STAFF,
     0, 0},

    {"GET", "/api/v1/skills", api_res_list, STAFF, &res_skill, 0},
    {"POST", "/api/v1/skills", api_res_create, MASTER, &res_skill, 0},
    {"GET", "/api/v1/skills/{id}", api_res_get, STAFF, &res_skill, 0},
    {"PATCH", "/api/v1/skills/{id}", api_res_update, MASTER, &res_skill, 0},
    {"DELETE", "/api/v1/skills/{id}", api_res_delete, MASTER, &res_skill, 0},

    {"GET", "/api/v1/technicians", api_res_list, STAFF, &res_technician, 0},
    {"POST", "/api/v1/technicians", api_res_create, MASTER, &res_technician, 0},
    {"GET", "/api/v1/technicians/{id}", api_res_get, STAFF, &res_technician, 0},
    {"PATCH", "/api/v1/technicians/{id}", api_res_update, MASTER,
     &res_technician, 0},
    {"DELETE", "/api/v1/technicians/{id}", api_res_delete, MASTER,
     &res_technician, 0},
    {"POST", "/api/v1/technicians/{id}/enrollment-codes",
     api_enrollment_code_create, STAFF, 0, 0},

    {"GET", "/api/v1/devices", api_res_list, STAFF, &res_device, 0},
    {"GET", "/api/v1/devices/{id}", api_res_get, STAFF, &res_device, 0},
    {"DELETE", "/api/v1/devices/{id}", api_res_delete, STAFF, &res_device,
     0},

    /* the device protocol (proto/PROTOCOL.md) */
    {"POST", "/sync/v1/enroll", api_sync_enroll, ROLE_PUBLIC, 0,
     ROUTE_PROTOBUF},
    {"POST", "/sync/v1/sync", api_sync, ROLE_PUBLIC, 0, ROUTE_PROTOBUF},
    {"GET", "/sync/v1/keysets", api_sync_keysets, ROLE_PUBLIC, 0,
     ROUTE_PROTOBUF},

    {"GET", "/api/v1/parts", api_res_list, STAFF, &res_part, 0},
    {"POST", "/api/v1/parts", api_res_create, MASTER, &res_part, 0},
    {"GET", "/api/v1/parts/{id}", api_res_get, STAFF, &res_part, 0},
    {"PATCH", "/api/v1/parts/{id}", api_res_update, MASTER, &res_part, 0},
    {"DELETE", "/api/v1/parts/{id}", api_res_delete, MASTER, &res_part, 0},
    {"POST", "/api/v1/parts/{id}/receive", api_part_receive, MASTER, 0, 0},

    {"GET", "/api/v1/jobs", api_res_list, STAFF, &res_job, 0},
    {"POST", "/api/v1/jobs", api_res_create, STAFF, &res_job, 0},
    /* before /jobs/{id}: the first matching row wins */
    {"GET", "/api/v1/jobs/at-risk", api_jobs_at_risk, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}", api_res_get, STAFF, &res_job, 0},
    {"PATCH", "/api/v1/jobs/{id}", api_res_update, STAFF, &res_job, 0},
    {"POST", "/api/v1/jobs/{id}/events", api_job_event, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/timeline", api_job_timeline, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/candidates", api_job_candidates, STAFF, 0, 0},
    {"POST", "/api/v1/jobs/{id}/assign", api_job_assign, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/slots", api_job_slots, STAFF, 0, 0},
    {"POST", "/api/v1/jobs/{id}/booking-link", api_link_create, STAFF, 0, 0},
    {"DELETE", "/api/v1/booking-links/{id}", api_link_revoke, STAFF, 0, 0},
    {"GET", "/api/v1/public/bookings/{token}", api_public_booking,
     ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/bookings/{token}/hold", api_public_hold,
     ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/bookings/{token}/confirm", api_public_confirm,
     ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/bookings/{token}/reschedule",
     api_public_reschedule, ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/bookings/{token}/cancel", api_public_cancel,
     ROLE_PUBLIC, 0, 0},
    {"GET", "/book/{token}/appointment.ics", api_public_ics, ROLE_PUBLIC, 0,
     0},
    {"GET", "/api/v1/public/quotes/{token}", api_public_quote, ROLE_PUBLIC,
     0, 0},
    {"POST", "/api/v1/public/quotes/{token}", api_public_quote_answer,
     ROLE_PUBLIC, 0, 0},
    {"GET", "/", api_app_page, ROLE_PUBLIC, 0, 0},
    {"GET", "/static/{version}/{file}", api_static, ROLE_PUBLIC, 0, 0},
    {"GET", "/book/{token}", api_public_page, ROLE_PUBLIC, 0, 0},
    {"GET", "/quote/{token}", api_public_page, ROLE_PUBLIC, 0, 0},
    {"GET", "/tech", api_tech_page, ROLE_PUBLIC, 0, 0},
    {"GET", "/tech/sw.js", api_tech_worker, ROLE_PUBLIC, 0, 0},
    {"POST", "/api/v1/plans", api_plan_create, STAFF, 0, 0},
    {"GET", "/api/v1/plans/{id}", api_plan_get, STAFF, 0, 0},
    {"POST", "/api/v1/plans/{id}/apply", api_plan_apply, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/record", api_job_record, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/sign-offs/{sign_off}/signature",
     api_job_signature, STAFF, 0, 0},
    {"GET", "/api/v1/board", api_board, STAFF, 0, 0},
    {"GET", "/api/v1/changes", api_changes, STAFF, 0, 0},
    {"GET", "/api/v1/jobs/{id}/conflicts", api_job_conflicts, STAFF, 0, 0},
    {"POST", "/api/v1/sync-conflicts/{id}/resolve", api_conflict_resolve,
     STAFF, 0, 0},
    {"POST", "/api/v1/jobs/{id}/parts/{line}/approve", api_job_part_approve,
     MASTER, 0, 0},
    {"POST", "/api/v1/jobs/{id}/invoice/payment", api_invoice_payment, STAFF,
     0, 0},
};
const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
