/*
 * store_model_skills.c - the skills earlier jobs on the same model of
 * unit needed: what the desk suggests when it takes a request for a unit
 * (GET /api/v1/assets/{id}/suggested-skills).  A read model: the most
 * used skills first, each at the highest level any of those jobs asked
 * for, at most five.
 */
#include "store/store_int.h"

static const char sql_asset[] = "SELECT model FROM assets WHERE id = :id";
static const char sql_skills[] =
    "SELECT k.code AS skill, max(js.min_level) AS level,"
    " count(DISTINCT j.id) AS jobs FROM assets a"
    " JOIN jobs j ON j.asset_id = a.id"
    " JOIN job_skills js ON js.job_id = j.id"
    " JOIN skills k ON k.id = js.skill_id"
    " WHERE a.model = (SELECT model FROM assets WHERE id = :id)"
    " GROUP BY k.code ORDER BY jobs DESC, k.code LIMIT 5";

int store_model_skills(struct store *s, int64_t asset_id, json_t **out,
                       struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *asset, *skills;

    if (!c)
        return err->rc;
    vals = json_pack("{s:I}", "id", (json_int_t)asset_id);
    asset = store__rows(c, sql_asset, vals, err);
    skills = asset ? store__rows(c, sql_skills, vals, err) : NULL;
    json_decref(vals);
    if (asset && !json_array_size(asset)) {
        json_decref(asset);
        json_decref(skills);
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "asset %lld not found",
                       (long long)asset_id);
    }
    if (!skills) {
        json_decref(asset);
        return err->rc;
    }
    *out = json_pack("{s:O, s:o}", "model",
                     json_object_get(json_array_get(asset, 0), "model"),
                     "skills", skills);
    json_decref(asset);
    return 0;
}
