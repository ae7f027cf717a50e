-- Trigram matching and edit distance back typo-tolerant search (search_terms); both ship with
-- Postgres contrib and with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
