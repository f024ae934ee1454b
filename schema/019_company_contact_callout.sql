-- 019_company_contact_callout.sql: how customers reach the company, and
-- its call-out fee.
--
-- The booking and quote pages show the company's phone and e-mail.  An
-- out-of-warranty visit on site carries the company's call-out fee, which
-- the customer accepts before booking it; the job keeps the fee agreed
-- (NULL: none), and the invoice charges it when the technician finds the
-- unit out of warranty, whatever the customer says to the repair quote.
ALTER TABLE company ADD COLUMN phone TEXT NOT NULL DEFAULT ''
    CHECK (length(CAST(phone AS BLOB)) <= 40);
ALTER TABLE company ADD COLUMN email TEXT NOT NULL DEFAULT ''
    CHECK (length(CAST(email AS BLOB)) <= 200);
ALTER TABLE company ADD COLUMN callout_fee_minor INTEGER NOT NULL DEFAULT 0
    CHECK (callout_fee_minor BETWEEN 0 AND 100000000);
ALTER TABLE jobs ADD COLUMN callout_minor INTEGER
    CHECK (callout_minor IS NULL OR callout_minor BETWEEN 0 AND 100000000);
