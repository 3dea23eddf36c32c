// Integration and end-to-end tests run against a real PostgreSQL and a real Temporal server.
// `npm test` starts both; a run without them fails loudly instead of skipping.
for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS']) {
  if (!process.env[name]) {
    throw new Error(
      `${name} is not set: integration and end-to-end tests need a real PostgreSQL and Temporal. Run them with \`npm test\`.`,
    );
  }
}
