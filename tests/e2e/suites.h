/*
 * suites.h - the e2e suites, one per concern; e2e_main.c runs them all.
 */
#ifndef FSD_E2E_SUITES_H
#define FSD_E2E_SUITES_H

#include <check.h>

Suite *e2e_ops_suite(void);         /* health, OpenAPI, metrics */
Suite *e2e_auth_suite(void);        /* login, sessions, tokens, limits */
Suite *e2e_accounts_suite(void);    /* staff accounts */
Suite *e2e_roles_suite(void);       /* who may do what */
Suite *e2e_company_suite(void);     /* the company profile */
Suite *e2e_crud_suite(void);        /* resource round trips */
Suite *e2e_validation_suite(void);  /* rejected input changes nothing */
Suite *e2e_concurrency_suite(void); /* parallel writes, durability */
Suite *e2e_lifecycle_suite(void);   /* job events and timeline */
Suite *e2e_paths_suite(void);       /* every business path of a job */
Suite *e2e_devices_suite(void);     /* device enrollment */
Suite *e2e_sync_suite(void);        /* technician sync */
Suite *e2e_sdk_suite(void);         /* the device SDK and fsd-tech */
Suite *e2e_protocol_suite(void);    /* the device protocol's edges */
Suite *e2e_restore_suite(void);     /* a backup restored under devices */
Suite *e2e_keys_suite(void);        /* keysets, rotations, stored replies */
Suite *e2e_records_suite(void);     /* device time and conflicts */
Suite *e2e_crash_suite(void);       /* uploads while the server dies */
Suite *e2e_assign_suite(void);      /* candidates, manual assignment, plans */
Suite *e2e_slots_suite(void);       /* appointment slots */
Suite *e2e_parts_first_suite(void); /* parts in stock before the visit */
Suite *e2e_field_money_suite(void); /* what the device records is billed */
Suite *e2e_shown_summary_suite(void); /* the summary the customer saw */
Suite *e2e_quote_answer_suite(void); /* the quote answered on the phone */
Suite *e2e_snapshot_suite(void);    /* a job as the phone receives it */
Suite *e2e_intake_suite(void);      /* finding customers, suggested skills */
Suite *e2e_public_suite(void);      /* holds and quote links */
Suite *e2e_web_suite(void);         /* pages, CSRF, the board and its feed */
Suite *e2e_authz_suite(void);       /* every route x every kind of caller */
Suite *e2e_attack_suite(void);      /* attacks, counted; nothing changes */

#endif
