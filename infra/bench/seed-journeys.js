// Seeds N journeys straight into the read model (one INSERT … SELECT), for the list benchmarks.
async function seedJourneys(pg, journeys) {
  const started = Date.now();
  await pg.query(`
    INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status,
                          agencies, needs_attention, next_due_at, started_at, started_by, data, projection_seq, updated_at)
    SELECT md5(i::text)::uuid, 'bench:' || i, (ARRAY['starting-a-business','birth-of-a-child','renovating-a-home','losing-a-job'])[1 + i % 4], 1,
           '{"nl":"x"}', 'person', lpad((85000000000 + i % 20000)::text, 11, '0'),
           (ARRAY['running','running','completed','needs_attention','cancelled'])[1 + i % 5],
           ARRAY[(ARRAY['enterprise-counter','federal-finance','municipality','bank'])[1 + i % 4], 'social-insurance'],
           i % 5 = 3, now() + ((i % 60) - 30) * interval '1 day', now() - (i || ' seconds')::interval, 'bench', '{}', 1, now()
      FROM generate_series(1, $1) AS i`, [journeys]);
  await pg.query('ANALYZE journeys');
  return Date.now() - started;
}

module.exports = { seedJourneys };
