"""Search that only PostgreSQL has; on SQLite this migration does nothing.

- `search_document` is filled by a trigger from title (weight A), pitch (B) and
  problem, solution and how it works (C) with the German configuration, so every
  write path (services, admin, bulk updates) keeps it current;
- a GIN index on it for the gallery's full-text search.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION projects_project_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('german', coalesce(NEW.pitch, '')), 'B')
        || setweight(
            to_tsvector(
                'german',
                coalesce(NEW.problem, '') || ' ' || coalesce(NEW.solution, '')
                || ' ' || coalesce(NEW.how_it_works, '')
            ),
            'C'
        );
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_project_search_document
    BEFORE INSERT OR UPDATE OF title, pitch, problem, solution, how_it_works
    ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_project_search_document();

UPDATE projects_project SET title = title;

CREATE INDEX project_search_document_idx
    ON projects_project USING gin (search_document);
"""

DROP = """
DROP INDEX IF EXISTS project_search_document_idx;
DROP TRIGGER IF EXISTS projects_project_search_document ON projects_project;
DROP FUNCTION IF EXISTS projects_project_search_document();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
