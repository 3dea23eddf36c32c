import { Client } from 'pg';

/**
 * Why the production profile refuses the database login the processes connect with: the
 * append-only logs hold only while the running processes cannot rewrite them, that is while they
 * connect as a login of the runtime role (see the append-only-logs migration), not as a superuser,
 * nor as the owner of the tables (who can drop the triggers), nor as any role that may UPDATE,
 * DELETE or TRUNCATE a log. A database that does not answer is a warning: it says nothing about
 * the login, and the process cannot work without the database anyway.
 */
export async function probeDatabaseRole(databaseUrl: string, timeoutMs = 5000): Promise<{ refusals: string[]; warnings: string[] }> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    const { rows } = await client.query<{ login: string; superuser: boolean; owner: boolean; rewrite: string[] }>(
      `SELECT current_user AS login,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              EXISTS (SELECT 1 FROM pg_tables WHERE tablename IN ('audit_log', 'data_access_log') AND pg_has_role(current_user, tableowner, 'USAGE')) AS owner,
              ARRAY(SELECT t || ':' || p FROM unnest(ARRAY['audit_log', 'data_access_log']) AS t, unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p
                     WHERE to_regclass(t) IS NOT NULL AND has_table_privilege(t, p)) AS rewrite`,
    );
    const { login, superuser, owner, rewrite } = rows[0];
    const refusals: string[] = [];
    if (superuser) refusals.push(`DATABASE_URL connects as '${login}', a superuser: connect as a login of the role levensloop_runtime (migrations use MIGRATION_DATABASE_URL)`);
    else if (owner) refusals.push(`DATABASE_URL connects as '${login}', which owns the audit and access logs (and could drop their triggers): connect as a login of the role levensloop_runtime`);
    else if (rewrite.length) refusals.push(`DATABASE_URL connects as '${login}', which may ${rewrite.join(', ')}: the logs must be insert-only for the running processes`);
    return { refusals, warnings: [] };
  } catch (err) {
    return { refusals: [], warnings: [`could not ask the database which rights its login has (${(err as Error).message})`] };
  } finally {
    await client.end().catch(() => undefined);
  }
}
