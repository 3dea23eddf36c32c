// What `npm start` prints once everything is up.
function banner({ gatewayUrl, sandboxUrl, temporalUiUrl, databaseUrl, seconds }) {
  const token = (q) => `curl -s '${sandboxUrl}/oidc/dev-token?${q}' | jq -r .access_token`;
  return `
Levensloop is up (ready in ${seconds} s)

  API               ${gatewayUrl}
  OpenAPI document  ${gatewayUrl}/openapi.json
  Interactive docs  ${gatewayUrl}/docs
  Health, metrics   ${gatewayUrl}/health  ${gatewayUrl}/metrics
  Temporal Web UI   ${temporalUiUrl ?? '(external cluster)'}
  Sandbox           ${sandboxUrl}  (agencies, calls: ${sandboxUrl}/_sandbox/calls)
  PostgreSQL        ${databaseUrl}

Tokens per role (development issuer of the sandbox):
  catalog admin  ${token('role=catalog-admin')}
  caseworker     ${token('role=caseworker&agency=municipality')}
  agency admin   ${token('role=agency-admin&agency=bank')}
  citizen        ${token('role=citizen&nationalNumber=85073003328')}

Try it: start "starting a business" as the citizen, then follow the journey
  CITIZEN=$(${token('role=citizen&nationalNumber=85073003328')})
  curl -s -X POST ${gatewayUrl}/journeys -H "authorization: Bearer $CITIZEN" \\
       -H 'content-type: application/json' -H "idempotency-key: $(uuidgen || date +%s%N)" \\
       -d '{"lifeEvent":{"key":"starting-a-business"},"subject":{"type":"person","id":"85073003328"},"data":{"activity":{"servesAlcohol":true}}}'
  curl -s ${gatewayUrl}/journeys -H "authorization: Bearer $CITIZEN"           # your journeys
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $CITIZEN"              # what is needed from you
  CW=$(${token('role=caseworker&agency=municipality')})
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $CW"                   # the permit to review
  curl -s -X POST ${gatewayUrl}/tasks/<task id>/complete -H "authorization: Bearer $CW" \\
       -H 'content-type: application/json' -d '{"outcome":"approve","comment":"Permit granted"}'

Press Ctrl-C to stop everything.
`;
}

module.exports = { banner };
