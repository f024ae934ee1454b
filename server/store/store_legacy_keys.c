/*
 * store_legacy_keys.c - the bundle-signing secret keys a database from
 * before the key file still holds (schema/018_secret_keys_out.sql), read
 * before the database is opened and migrated, so that fsd-server can move
 * them to the key file first (server/sync/keyfile.h).
 */
#include "store/store_int.h"

#include <unistd.h>

static const char sql_has_secrets[] =
    "SELECT count(*) FROM pragma_table_info('server_keys')"
    " WHERE name = 'secret_key'";
static const char sql_secrets[] =
    "SELECT key_id, secret_key FROM server_keys ORDER BY id";

int store_legacy_secret_keys(const char *db_path, json_t **keys,
                             struct err *err)
{
    struct store_conn *c = NULL;
    int64_t has = 0;
    int rc;

    *keys = NULL;
    if (access(db_path, F_OK) != 0) {
        *keys = json_array(); /* a database still to be made */
        return 0;
    }
    rc = store__conn_open(db_path, 1, &c, err);
    if (rc == 0)
        rc = store__scalar(c, sql_has_secrets, NULL, &has, err);
    if (rc == 0)
        *keys = has ? store__rows(c, sql_secrets, NULL, err) : json_array();
    if (rc == 0 && !*keys)
        rc = err->rc;
    store__conn_close(c);
    return rc;
}
