-- The search document's phone tokens and phone keys are computed inside its trigger, from each number's digits taken
-- once, instead of by revops_phone_tokens and revops_phone_national (issue 25). Why: revops_phone_tokens holds a
-- sub-select, so PostgreSQL cannot inline it into the trigger's expression; every call ran its body through the
-- SQL-function executor, planned again in every transaction (perf of the cluster benchmark's creates: 12% of
-- PostgreSQL's CPU under fmgr_sql, 5% of it planning). The digits are the same expression as both functions', so the
-- tokens and keys are exactly 0034's (checked on every phone shape of the test suite and a demo tenant's numbers);
-- nothing already stored changes. Both functions stay: the migrations before this one and older nodes use them.
-- (SQLite has no 0043.)
CREATE OR REPLACE FUNCTION revops_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    phone_digits text := regexp_replace(split_part(split_part(split_part(lower(NEW.phone), 'x', 1), 'e', 1), '#', 1), '[ +().\-/]', '', 'g');
    mobile_digits text := regexp_replace(split_part(split_part(split_part(lower(NEW.mobile_phone), 'x', 1), 'e', 1), '#', 1), '[ +().\-/]', '', 'g');
BEGIN
    NEW.document :=
        setweight(revops_words(NEW.name), 'A') ||
        setweight(revops_words(NEW.email) || revops_words(NEW.phone) || revops_words(NEW.mobile_phone) || revops_words(NEW.company), 'B') ||
        setweight(revops_words(NEW.title) || revops_words(NEW.website) || revops_words(NEW.city), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(NEW.tenant_id::text, '-', '')
            || ' ' || CASE WHEN phone_digits IS NULL THEN '' ELSE phone_digits || ' ' || right(phone_digits, 10) || ' ' || right(phone_digits, 7) END
            || ' ' || CASE WHEN mobile_digits IS NULL THEN '' ELSE mobile_digits || ' ' || right(mobile_digits, 10) || ' ' || right(mobile_digits, 7) END), 'D');
    NEW.email_key := lower(NEW.email);
    NEW.name_key := lower(NEW.name);
    NEW.phone_key := nullif(right(phone_digits, 10), '');
    NEW.mobile_key := nullif(right(mobile_digits, 10), '');
    NEW.web_key := revops_web_host(NEW.website);
    RETURN NEW;
END $$;
