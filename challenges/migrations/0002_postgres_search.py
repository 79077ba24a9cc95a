"""Search that only PostgreSQL has; on SQLite this migration does nothing.

- `search_document` is filled by a trigger from title (weight A), problem (B),
  affected and desired outcome (C) with the German configuration, so every write
  path (services, admin, import, bulk updates) keeps it current;
- a GIN index on it for full-text search, and a trigram index on the title for
  finding likely duplicates.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION challenges_challenge_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('german', coalesce(NEW.problem, '')), 'B')
        || setweight(
            to_tsvector('german', coalesce(NEW.affected, '') || ' ' || coalesce(NEW.desired_outcome, '')),
            'C'
        );
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER challenges_challenge_search_document
    BEFORE INSERT OR UPDATE OF title, problem, affected, desired_outcome
    ON challenges_challenge
    FOR EACH ROW EXECUTE FUNCTION challenges_challenge_search_document();

UPDATE challenges_challenge SET title = title;

CREATE INDEX challenge_search_document_idx
    ON challenges_challenge USING gin (search_document);
CREATE INDEX challenge_title_trgm_idx
    ON challenges_challenge USING gin (title gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS challenge_title_trgm_idx;
DROP INDEX IF EXISTS challenge_search_document_idx;
DROP TRIGGER IF EXISTS challenges_challenge_search_document ON challenges_challenge;
DROP FUNCTION IF EXISTS challenges_challenge_search_document();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
