/*
 * e2e_main.c - the end-to-end test binary: runs every e2e suite against
 * real fsd-server processes ($FSD_SERVER, default build/fsd-server).
 *
 * It owns the process-wide state the suites share: libcurl's global
 * initialisation and the root scratch directory, which it removes at the
 * end whatever the tests left in it.
 */
#include "harness.h"
#include "suites.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    Suite *(*const suites[])(void) = {
        e2e_ops_suite,        e2e_auth_suite,       e2e_accounts_suite,
        e2e_roles_suite,      e2e_crud_suite,       e2e_validation_suite,
        e2e_concurrency_suite, e2e_lifecycle_suite,  e2e_paths_suite,
        e2e_devices_suite,    e2e_sync_suite,       e2e_sdk_suite,
        e2e_crash_suite,      e2e_assign_suite,     e2e_slots_suite,
        e2e_public_suite,     e2e_web_suite,        e2e_authz_suite,
        e2e_attack_suite,     e2e_company_suite,    e2e_protocol_suite,
        e2e_restore_suite,    e2e_keys_suite,       e2e_records_suite,
        e2e_parts_first_suite, e2e_field_money_suite, e2e_intake_suite,
        e2e_shown_summary_suite, e2e_snapshot_suite, e2e_quote_answer_suite,
    };
    SRunner *sr;
    int failed;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        e2e_root_init() != 0) {
        fprintf(stderr, "e2e: cannot initialise libcurl or a scratch dir\n");
        return EXIT_FAILURE;
    }
    sr = srunner_create(suites[0]());
    for (size_t i = 1; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY, default normal */
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    e2e_root_remove();
    curl_global_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
