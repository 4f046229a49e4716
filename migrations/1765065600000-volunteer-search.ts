import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the volunteer list searches and sorts by, kept on the row so that a search or a
 * sort over 100,000 volunteers compares stored text instead of computing it per row.
 *
 * Danish letters fold both ways (ø/oe, å/aa, æ/ae): the stored text and the search are
 * folded the same way, so "Soendergaard" finds "Søndergaard" and the reverse. Upper case
 * is folded by hand because lower() leaves æøå alone under the C locale of some servers.
 *
 * Name order: PGlite has no ICU collations, so "da-DK-x-icu" cannot be used on both
 * databases. volunteer_name_sort_key gives the Danish alphabet under the C collation on
 * both instead: æ, ø, å (and ä, ö, aa, their Danish equals) after z, in that order, by
 * mapping them to the three ASCII characters after 'z'. Other accented letters sort
 * after the Danish ones (the C order), which a list of names rarely shows.
 */
export class VolunteerSearch1765065600000 implements MigrationInterface {
  name = 'VolunteerSearch1765065600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION klar_search_fold(text text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$
          SELECT lower(replace(replace(replace(replace(replace(replace(text,
                   'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'oe'), 'ø', 'oe'), 'Å', 'aa'), 'å', 'aa'))
        $$;

      CREATE FUNCTION volunteer_name_sort_key(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$
          SELECT replace(replace(replace(replace(replace(replace(lower(replace(replace(replace(
                   replace(replace(name, 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å'), 'Ä', 'ä'), 'Ö', 'ö')),
                   'aa', '}'), 'æ', '{'), 'ä', '{'), 'ø', '|'), 'ö', '|'), 'å', '}')
        $$;

      ALTER TABLE volunteer
        ADD COLUMN search_text text GENERATED ALWAYS AS
          (klar_search_fold(first_name || ' ' || last_name || E'\\n' || email)) STORED,
        ADD COLUMN phone_digits text GENERATED ALWAYS AS
          (regexp_replace(phone, '[^0-9]', '', 'g')) STORED,
        ADD COLUMN name_sort text COLLATE "C" GENERATED ALWAYS AS
          (volunteer_name_sort_key(last_name) || E'\\x01' || volunteer_name_sort_key(first_name)) STORED;

      CREATE INDEX volunteer_branch_id_name_sort_idx ON volunteer (branch_id, name_sort, id);
      -- Administrators list every branch at once.
      CREATE INDEX volunteer_name_sort_idx ON volunteer (name_sort, id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX volunteer_name_sort_idx;
      DROP INDEX volunteer_branch_id_name_sort_idx;
      ALTER TABLE volunteer DROP COLUMN name_sort, DROP COLUMN phone_digits, DROP COLUMN search_text;
      DROP FUNCTION volunteer_name_sort_key(text);
      DROP FUNCTION klar_search_fold(text);
    `);
  }
}
