-- 002_deactivation_ends_access.sql: deactivating a staff account ends its
-- sessions and revokes its API tokens, so reactivating it later does not
-- bring old credentials back to life.
CREATE TRIGGER users_deactivated AFTER UPDATE OF active ON users
WHEN OLD.active = 1 AND NEW.active = 0
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
    UPDATE api_tokens SET revoked_at = NEW.updated_at
     WHERE user_id = NEW.id AND revoked_at IS NULL;
END;
