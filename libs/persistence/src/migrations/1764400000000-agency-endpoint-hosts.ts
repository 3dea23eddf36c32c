import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hosts each agency's automatic steps may call, kept by catalog admins and checked when a
 * step is drafted and again when it is called. Existing agencies get the hosts their steps use
 * today, so journeys that are running keep working; a catalog admin trims the list afterwards.
 */
export class AgencyEndpointHosts1764400000000 implements MigrationInterface {
  name = 'AgencyEndpointHosts1764400000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE agencies ADD COLUMN endpoint_hosts text[] NOT NULL DEFAULT '{}';
      UPDATE agencies a SET endpoint_hosts = hosts.list
        FROM (
          SELECT agency, array_agg(DISTINCT host ORDER BY host) AS list
            FROM (
              SELECT agency, lower(substring(definition->>'endpoint' from '^https?://([^/?#]+)')) AS host
                FROM service_steps WHERE definition ? 'endpoint'
            ) used
           WHERE host IS NOT NULL
           GROUP BY agency
        ) hosts
       WHERE hosts.agency = a.code;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE agencies DROP COLUMN endpoint_hosts`);
  }
}
