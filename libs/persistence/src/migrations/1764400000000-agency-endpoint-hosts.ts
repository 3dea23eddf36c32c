import { endpointHost } from '@levensloop/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hosts each agency's automatic steps may call, kept by catalog admins and checked when a
 * step is drafted and again when it is called. Existing agencies get the hosts their steps use
 * today, so journeys that are running keep working; a catalog admin trims the list afterwards.
 * The hosts are read from the endpoints as the check reads them (endpointHost: the URL parser's
 * host, so `HTTPS://User@API.example:443/x` gives `api.example`), not by cutting the text.
 */
export class AgencyEndpointHosts1764400000000 implements MigrationInterface {
  name = 'AgencyEndpointHosts1764400000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE agencies ADD COLUMN endpoint_hosts text[] NOT NULL DEFAULT '{}'`);
    const steps: { agency: string; endpoint: string }[] = await db.query(
      `SELECT agency, definition->>'endpoint' AS endpoint FROM service_steps WHERE definition ? 'endpoint'`,
    );
    const hosts = new Map<string, Set<string>>();
    for (const { agency, endpoint } of steps) {
      const host = endpointHost(endpoint);
      if (host) hosts.set(agency, (hosts.get(agency) ?? new Set()).add(host));
    }
    for (const [agency, set] of hosts) {
      await db.query(`UPDATE agencies SET endpoint_hosts = $2 WHERE code = $1`, [agency, [...set].sort()]);
    }
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE agencies DROP COLUMN endpoint_hosts`);
  }
}
