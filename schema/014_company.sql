-- 014_company.sql: the company itself, in one row (id 1): the display
-- name its customers see on their booking and quote pages, the IANA time
-- zone its working day runs in, and the ISO 4217 code of the currency its
-- prices are in (quotes and reports carry it).  The row starts as a
-- neutral company in UTC pricing in EUR; an admin changes it with
-- PATCH /api/v1/company.
CREATE TABLE company (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
    timezone TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    currency TEXT NOT NULL
        CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    updated_at INTEGER NOT NULL
);
INSERT INTO company(id, name, timezone, currency, updated_at)
VALUES (1, 'Service company', 'UTC', 'EUR', 0);
