// What `npm start` prints once everything is up.
function banner({ gatewayUrl, consoleUrl, sandboxUrl, smtpPort, temporalUiUrl, databaseUrl, seconds, examples, demo }) {
  const token = (q) => `curl -s '${sandboxUrl}/oidc/dev-token?${q}' | jq -r .access_token`;
  const entrepreneur = examples.soleTrader.nationalNumber;
  const [mother, father] = examples.flemishCouple.parents;
  return `
Levensloop is up (ready in ${seconds} s)

  Console           ${consoleUrl}  (caseworkers, citizens, agency admins: sign in below)
  API               ${gatewayUrl}
  OpenAPI document  ${gatewayUrl}/openapi.json
  Interactive docs  ${gatewayUrl}/docs
  Health, metrics   ${gatewayUrl}/health  ${gatewayUrl}/metrics
  Temporal Web UI   ${temporalUiUrl ? `${temporalUiUrl}  (payloads encrypted; shown decrypted through ${gatewayUrl}/codec)` : '(external cluster)'}
  Sandbox           ${sandboxUrl}  (agencies, calls: ${sandboxUrl}/_sandbox/calls; registers: ${sandboxUrl}/_sandbox/population/examples)
  Mail sent         ${sandboxUrl}/_sandbox/mail?to=<address>  (the SMTP sink on 127.0.0.1:${smtpPort}, local only: no TLS, no auth)
  SMS sent          ${sandboxUrl}/_sandbox/sms?to=%2B32470123456
  e-counter         ${sandboxUrl}/_sandbox/ecounter/citizens/<national number>/dossiers  (and …/notifications)
  Traces            ${sandboxUrl}/traces  (every process exports OTLP there; a journey's: ${sandboxUrl}/traces?journey=<journey id>)
  PostgreSQL        ${databaseUrl}

Demo journeys${demo.started ? ' (just started)' : ' (kept from an earlier start: delete .runtime/data for new ones)'}: a birth reported by the national register
(the parents ${demo.mother} and partner), "moving house" for ${demo.mover ?? examples.elderlyPerson} (a move to Gent the
address register reported), "starting a business" for the sole trader ${demo.entrepreneur}, and for
${demo.offline}, who has no e-mail or phone. What they were told, where the engine sent it:
  e-mail            ${sandboxUrl}/_sandbox/mail  (per address: ?to=<address>)
  SMS               ${sandboxUrl}/_sandbox/sms
  e-counter         ${sandboxUrl}/_sandbox/ecounter/citizens/${demo.mother}/dossiers  (and …/${demo.entrepreneur}/notifications)
  letters (PDF)     curl -s ${gatewayUrl}/letters -H "authorization: Bearer $(${token('role=caseworker&agency=enterprise-counter')})"
                    then ${gatewayUrl}/letters/<id> with the same header (a QR code leads into the journey)

Sign in to the console (${consoleUrl}/sign-in): "Sign in" goes to the sandbox's OpenID provider
(${sandboxUrl}/oidc), whose page lists the test population and staff per agency; or, below it,
pick a role and who you are and the sandbox's development issuer signs a token.
  caseworker     role Caseworker, agency municipality (the alcohol licence), or federal-finance, bank, …
  citizen        role Citizen, national number ${entrepreneur} (the sole trader) or ${mother} (a parent)
  agency admin   role Agency admin, agency bank
  catalog admin  role Catalog admin;  auditor: role Auditor

Tokens per role for the API (development issuer of the sandbox):
  catalog admin  ${token('role=catalog-admin')}
  caseworker     ${token('role=caseworker&agency=municipality')}
  (of a team)    ${token('role=caseworker&agency=municipality&teams=intake')}
  supervisor     ${token('role=supervisor&agency=municipality')}
  agency admin   ${token('role=agency-admin&agency=bank')}
  citizen        ${token(`role=citizen&nationalNumber=${entrepreneur}`)}
  auditor        ${token('role=auditor')}

Try it: start "starting a business" as the citizen (name, birth date, nationality and address
come from the national register: nothing to type), then follow the journey
  CITIZEN=$(${token(`role=citizen&nationalNumber=${entrepreneur}`)})
  curl -s -X POST ${gatewayUrl}/journeys -H "authorization: Bearer $CITIZEN" \\
       -H 'content-type: application/json' -H "idempotency-key: $(uuidgen || date +%s%N)" \\
       -d '{"lifeEvent":{"key":"starting-a-business"},"subject":{"type":"person","id":"${entrepreneur}"},"data":{"activity":{"servesAlcohol":true}}}'
  curl -s ${gatewayUrl}/journeys -H "authorization: Bearer $CITIZEN"           # your journeys
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $CITIZEN"              # what is needed from you
  CW=$(${token('role=caseworker&agency=municipality')})
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $CW"                   # the permit to review
  curl -s -X POST ${gatewayUrl}/tasks/<task id>/complete -H "authorization: Bearer $CW" \\
       -H 'content-type: application/json' -d '{"outcome":"approve","comment":"Permit granted"}'

Proactive: the national register reports a birth and the engine starts "birth of a child" by itself
(birth grant and child benefit decided by rule, the parents asked only for consent and what no
register holds). Publish a birth from the sandbox's register, then read it as a parent:
  curl -s -X POST ${sandboxUrl}/_sandbox/events/births -H 'content-type: application/json' \\
       -d '{"parents":["${mother}","${father}"]}'
  PARENT=$(${token(`role=citizen&nationalNumber=${mother}`)})
  curl -s ${gatewayUrl}/journeys -H "authorization: Bearer $PARENT"           # the child's journey (under a parent's mandate)
  curl -s ${gatewayUrl}/journeys/<journey id>/decisions?lang=en -H "authorization: Bearer $PARENT"
  curl -s ${gatewayUrl}/me/data-access?lang=en -H "authorization: Bearer $PARENT"   # who read the data, and why
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $PARENT"              # consent for the home visit
  (annul: POST ${sandboxUrl}/_sandbox/events/births/<child's national number>/annul)

Moving house: the address register reports a change of address and the engine starts "moving
house" by itself (registration at the new municipality, routed to its own caseworkers, the vehicle register, the waste tax for
an owner, the energy and water suppliers with the new address pre-filled). Publish a move (without
"person" the sandbox picks someone; "tenure": "owner" or "tenant"), then follow it:
  curl -s -X POST ${sandboxUrl}/_sandbox/events/moves -H 'content-type: application/json' \\
       -d '{"person":"${father}","postalCode":"3000","tenure":"owner"}'
  MOVER=$(${token(`role=citizen&nationalNumber=${father}`)})
  curl -s ${gatewayUrl}/journeys -H "authorization: Bearer $MOVER"            # "moving house"
  curl -s ${gatewayUrl}/tasks -H "authorization: Bearer $(${token('role=caseworker&agency=leuven')})"   # the registration, at Leuven (3000)

Press Ctrl-C to stop everything.
`;
}

module.exports = { banner };
