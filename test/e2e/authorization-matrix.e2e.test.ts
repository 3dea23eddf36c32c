/**
 * The authorisation matrix: every operation of `/openapi.json` × every kind of caller, in one
 * table, with the answer each must get. The callers are the roles and the cases between them
 * that matter: a citizen who is not the subject, a caseworker of an agency the journey does not
 * involve, an agency admin of another agency, a mandate holder (a parent) and a holder whose mandate
 * covers other life events only. An operation of the document
 * without a row fails the test, so a new endpoint cannot arrive without its rule.
 *
 * Each cell is the exact status: 2xx/304 let through; 400, 409 and 422 let through the checks of
 * who asks and refused for what was asked; 403 refused for who asks; 404 not found (a row naming
 * nothing, or what the API hides from a caller who may not see it); 401 not signed in. Exact
 * statuses also pin the order of the checks: who asks is checked before what is asked.
 * The journey is a birth (the child its subject, the parents its mandate holders), started by the
 * sandbox's national register; its decisions are growth-package's, and bank is not involved.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const CALLERS = [
  'anonymous',
  'catalog-admin',
  'agency-admin',
  'other-agency-admin',
  'caseworker',
  'uninvolved-caseworker',
  'subject',
  'other-citizen',
  'mandate-holder',
  'out-of-scope-holder',
  'auditor',
  'source',
  'print-service',
] as const;
type Caller = (typeof CALLERS)[number];

interface Context {
  journey: string;
  /** A second birth journey, for the operations that end one (cancel). */
  spare: string;
  child: string;
  parent: string;
  /** The child's other parent: no caller, so a mandate granted to them is never a self-mandate. */
  otherParent: string;
  consentTask: string;
  consentId: string;
  /** growth-package's endpoint hosts before the run: the row that sets them puts the same ones back. */
  growthHosts: string[];
  notificationId: string;
  /** The default English text of decision.made, registered again by those who may. */
  template: { subject: string; body: string; sms: string };
  run: string;
}

type Request = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
type Row = [operation: string, expected: string, request: (c: Context, who: Caller) => Request];

const get = (p: string): Request => ({ method: 'GET', path: p });
const post = (p: string, body: unknown = {}, headers?: Record<string, string>): Request => ({ method: 'POST', path: p, body, headers });
const put = (p: string, body: unknown): Request => ({ method: 'PUT', path: p, body });
const missing = '00000000-0000-4000-8000-000000000000';
const titles = { nl: 'Matrix', en: 'Matrix' };

// Columns: anonymous, catalog admin, agency admin (growth-package), agency admin (bank), caseworker (growth-package),
// caseworker (bank), subject (the child), another citizen, mandate holder (a parent), out-of-scope holder, auditor,
// source, print service.
//                                                                anon cat agA agB cwA cwB sub cit man oos aud src prt
const TABLE: Row[] = [
  ['GET /health',                                                   '200 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/health')],
  ['POST /callbacks/sms',                                           '401 401 401 401 401 401 401 401 401 401 401 401 401', () => post('/callbacks/sms', { id: 'x', status: 'delivered', at: new Date().toISOString() })],
  ['POST /callbacks/email',                                         '401 401 401 401 401 401 401 401 401 401 401 401 401', () => post('/callbacks/email', { messageId: '<x@y>', status: 'bounced', at: new Date().toISOString() })],
  ['POST /callbacks/payments',                                      '401 401 401 401 401 401 401 401 401 401 401 401 401', () => post('/callbacks/payments', { id: 'evt_x', type: 'payment.paid', paymentId: 'tr_x', at: new Date().toISOString() })],
  // The codec server: payloads in clear for auditors only; the secret path (not configured here) for the development Web UI.
  ['POST /codec/encode',                                            '401 403 403 403 403 403 403 403 403 403 200 403 403', () => post('/codec/encode', { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJhIjoxfQ==' }] })],
  ['POST /codec/decode',                                            '401 403 403 403 403 403 403 403 403 403 200 403 403', () => post('/codec/decode', { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJhIjoxfQ==' }] }, { 'x-purpose': 'authorisation matrix' })],
  ['POST /codec/{access}/encode',                                   '401 401 401 401 401 401 401 401 401 401 401 401 401', () => post('/codec/not-configured-so-never-right-0123456789/encode', { payloads: [] })],
  ['POST /codec/{access}/decode',                                   '401 401 401 401 401 401 401 401 401 401 401 401 401', () => post('/codec/not-configured-so-never-right-0123456789/decode', { payloads: [] })],
  // The catalog: read by every signed-in caller, changed by its admins.
  ['GET /agencies',                                                 '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies')],
  ['GET /agencies/{agency}',                                        '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies/growth-package')],
  ['POST /agencies',                                                '401 201 403 403 403 403 403 403 403 403 403 403 403', (c, w) => post('/agencies', { code: `m-${c.run}-${w}`.slice(0, 60), names: titles })],
  ['PUT /agencies/{agency}/endpoint-hosts',                         '401 200 403 403 403 403 403 403 403 403 403 403 403', (c) => put('/agencies/growth-package/endpoint-hosts', { endpointHosts: c.growthHosts })],
  // Where the agency's escalations are e-mailed: kept by catalog admins and the agency's own admin, read by auditors too.
  ['GET /agencies/{agency}/supervisors',                            '401 200 200 403 403 403 403 403 403 403 200 403 403', () => get('/agencies/growth-package/supervisors')],
  ['PUT /agencies/{agency}/supervisors',                            '401 200 200 403 403 403 403 403 403 403 403 403 403', () => put('/agencies/growth-package/supervisors', { supervisors: [{ email: 'matrix-supervisor@growth.example', language: 'nl' }] })],
  // An agency's teams: everyone signed in reads them; catalog admins and the agency's own admins register one.
  ['GET /agencies/{agency}/teams',                                  '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies/municipality/teams')],
  ['POST /agencies/{agency}/teams',                                 '401 201 201 403 403 403 403 403 403 403 403 403 403', (c, w) => post('/agencies/growth-package/teams', { code: `m-${c.run}-${w}`.slice(0, 60), names: { nl: 'Team', fr: 'Équipe', de: 'Team', en: 'Team' } })],
  ['GET /agencies/{agency}/steps',                                  '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies/growth-package/steps')],
  ['GET /agencies/{agency}/steps/{key}',                            '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies/growth-package/steps/birth-grant')],
  ['GET /agencies/{agency}/steps/{key}/versions/{version}',         '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/agencies/growth-package/steps/birth-grant/versions/1')],
  ['POST /agencies/{agency}/steps',                                 '401 201 201 403 403 403 403 403 403 403 403 403 403', (c, w) => post('/agencies/growth-package/steps', { key: `m-${c.run}-${w}`.slice(0, 60), kind: 'citizen', titles, serviceNorm: { target: 'P1D' } })],
  ['PUT /agencies/{agency}/steps/{key}/versions/{version}',         '401 409 409 403 403 403 403 403 403 403 403 403 403', () => put('/agencies/growth-package/steps/birth-grant/versions/1', { key: 'birth-grant', kind: 'citizen', titles, serviceNorm: { target: 'P1D' } })],
  ['POST /agencies/{agency}/steps/{key}/versions/{version}/publish', '401 200 200 403 403 403 403 403 403 403 403 403 403', () => post('/agencies/growth-package/steps/birth-grant/versions/1/publish')],
  ['POST /agencies/{agency}/steps/{key}/versions/{version}/retire', '401 404 404 403 403 403 403 403 403 403 403 403 403', () => post(`/agencies/growth-package/steps/no-such-step/versions/1/retire`)],
  ['GET /steps',                                                    '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/steps?status=published')],
  ['GET /steps/{key}/offered-by',                                   '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/steps/register-new-resident/offered-by?role=municipality')],
  ['GET /life-events',                                              '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/life-events')],
  ['GET /life-events/{key}',                                        '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/life-events/birth-of-a-child')],
  ['GET /life-events/{key}/versions/{version}',                     '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/life-events/birth-of-a-child/versions/1')],
  ['POST /life-events',                                             '401 422 403 403 403 403 403 403 403 403 403 403 403', (c, w) => post('/life-events', { key: `m-${c.run}-${w}`.slice(0, 60), audience: 'citizen', titles, nodes: [] })],
  ['PUT /life-events/{key}/versions/{version}',                     '401 400 403 403 403 403 403 403 403 403 403 403 403', () => put('/life-events/birth-of-a-child/versions/1', { audience: 'citizen', titles, nodes: [] })],
  ['POST /life-events/{key}/versions/{version}/publish',            '401 200 403 403 403 403 403 403 403 403 403 403 403', () => post('/life-events/birth-of-a-child/versions/1/publish')],
  ['POST /life-events/{key}/versions/{version}/retire',             '401 404 403 403 403 403 403 403 403 403 403 403 403', () => post('/life-events/no-such-life-event/versions/1/retire')],
  ['GET /life-events/{key}/preview',                                '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/life-events/birth-of-a-child/preview')],
  ['GET /catalog/cpsv-ap',                                          '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/catalog/cpsv-ap')],
  ['GET /sources',                                                  '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/sources')],
  ['GET /sources/{source}',                                         '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/sources/national-register')],
  ['GET /event-types',                                              '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/event-types')],
  ['GET /event-types/{type}',                                       '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/event-types/be.national-register.birth.registered')],
  ['POST /event-types',                                             '401 201 403 403 403 403 403 403 403 403 403 403 403', (c, w) =>
    post('/event-types', { type: `be.national-register.m${c.run}.${w}`, source: 'national-register', kind: 'change', description: 'matrix', subject: { type: 'person', path: 'nationalNumber' }, schema: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number' } } } })],
  // Journeys: the subject, their mandate holders, the caseworkers of the agencies involved, auditors.
  ['POST /journeys',                                                '401 201 403 403 201 403 201 403 201 403 403 403 403', (c, w) => post('/journeys', { lifeEvent: { key: 'birth-of-a-child' }, subject: { type: 'person', id: c.child }, reason: 'matrix' }, { 'idempotency-key': `m-${c.run}-${w}` })],
  ['GET /journeys',                                                 '401 403 403 403 200 200 200 200 200 200 200 403 403', () => get('/journeys')],
  ['GET /journeys/{id}',                                            '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}`)],
  ['POST /journeys/{id}/cancel',                                    '401 404 404 404 200 404 404 404 404 404 403 404 404', (c) => post(`/journeys/${c.spare}/cancel`, { reason: 'matrix' })],
  ['POST /journeys/{id}/steps/{step}/retry',                        '401 404 404 404 403 404 403 404 403 404 403 404 404', (c) => post(`/journeys/${c.journey}/steps/home-visit/retry`)],
  ['POST /journeys/{id}/steps/{step}/skip',                         '401 404 404 404 403 404 403 404 403 404 403 404 404', (c) => post(`/journeys/${c.journey}/steps/home-visit/skip`, { reason: 'matrix' })],
  ['GET /journeys/{id}/decisions',                                  '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/decisions`)],
  // Documents: whoever may see the journey; the matrix journey has none (a download names nothing: 404).
  ['GET /journeys/{id}/documents',                                  '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/documents`)],
  ['GET /journeys/{id}/documents/{documentId}',                     '401 404 404 404 404 404 404 404 404 404 404 404 404', (c) => get(`/journeys/${c.journey}/documents/${missing}`)],
  ['POST /journeys/{id}/decisions/{node}/override',                 '401 403 403 403 409 404 403 403 403 403 403 403 403', (c) => post(`/journeys/${c.journey}/decisions/birth-grant/override`, { outcome: 'grant', reason: 'matrix' })],
  // The legal clock: caseworkers of the step's agency; the decided step waits for no caseworker (409), and declares no maximum extension (409).
  ['POST /journeys/{id}/steps/{node}/request-information',          '401 403 403 403 409 404 403 403 403 403 403 403 403', (c) => post(`/journeys/${c.journey}/steps/birth-grant/request-information`, { question: 'matrix', dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() })],
  ['POST /journeys/{id}/steps/{node}/extend',                       '401 403 403 403 409 404 403 403 403 403 403 403 403', (c) => post(`/journeys/${c.journey}/steps/birth-grant/extend`, { extension: 'P5D', reason: 'matrix' })],
  // A new payment link: the subject or whoever acts for them; the decided step is no payment step (409).
  ['POST /journeys/{id}/steps/{node}/payment',                      '401 403 403 403 403 403 409 404 409 404 403 403 403', (c) => post(`/journeys/${c.journey}/steps/birth-grant/payment`)],
  // The birth grant declares no objection term: who may object gets 409, the others are refused first.
  ['GET /journeys/{id}/objections',                                 '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/objections`)],
  ['POST /journeys/{id}/decisions/{node}/objections',               '401 403 403 403 403 403 409 404 409 404 403 403 403', (c) => post(`/journeys/${c.journey}/decisions/birth-grant/objections`, { reason: 'matrix' })],
  ['POST /journeys/{id}/decisions/{node}/objection/review',         '401 403 403 403 404 404 403 403 403 403 403 403 403', (c) => post(`/journeys/${c.journey}/decisions/birth-grant/objection/review`, { verdict: 'uphold', explanation: { en: 'matrix' } })],
  // Nor an appeal: who may appeal gets 409; there is no appeal to decide (404 for the involved caseworker).
  ['POST /journeys/{id}/decisions/{node}/appeals',                  '401 403 403 403 403 403 409 404 409 404 403 403 403', (c) => post(`/journeys/${c.journey}/decisions/birth-grant/appeals`, { reason: 'matrix' })],
  ['POST /journeys/{id}/decisions/{node}/appeal/decision',          '401 403 403 403 404 404 403 403 403 403 403 403 403', (c) => post(`/journeys/${c.journey}/decisions/birth-grant/appeal/decision`, { verdict: 'uphold', explanation: { en: 'matrix' } })],
  ['GET /journeys/{id}/data-access',                                '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/data-access`)],
  ['GET /journeys/{id}/data-use',                                   '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/data-use`)],
  ['GET /journeys/{id}/steps/{node}/data',                          '401 403 403 403 200 403 403 403 403 403 403 403 403', (c) => get(`/journeys/${c.journey}/steps/birth-grant/data?fields=national-register/birthDate`)],
  ['GET /journeys/{id}/notifications',                              '401 404 404 404 200 404 200 404 200 404 200 404 404', (c) => get(`/journeys/${c.journey}/notifications`)],
  // Tasks: the citizen's consent task of the birth journey.
  ['GET /tasks',                                                    '401 403 403 403 200 200 200 200 200 200 403 403 403', () => get('/tasks')],
  ['GET /tasks/{id}',                                               '401 404 404 404 404 404 200 404 200 404 200 404 404', (c) => get(`/tasks/${c.consentTask}`)],
  ['POST /tasks/{id}/claim',                                        '401 404 404 404 404 404 403 404 403 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/claim`)],
  ['POST /tasks/{id}/release',                                      '401 404 404 404 404 404 403 404 403 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/release`)],
  ['POST /tasks/{id}/complete',                                     '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/complete`, { consents: { 'no-such/field': true } })],
  // An upload goes to an open task of one's own (the consent task is answered: 409); who asks is checked first.
  ['POST /tasks/{id}/documents',                                    '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/documents`, { key: 'matrix' })],
  // Evidence from a source: asked for by the person (or who acts for them) on their own open task; a preview is its requester's alone (none here: 404).
  ['POST /tasks/{id}/documents/{key}/evidence',                     '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/documents/matrix/evidence`)],
  ['GET /tasks/{id}/evidence',                                      '401 404 404 404 404 404 200 404 200 404 403 404 404', (c) => get(`/tasks/${c.consentTask}/evidence`)],
  ['GET /tasks/{id}/documents/{key}/evidence',                      '401 404 404 404 404 404 404 404 404 404 404 404 404', (c) => get(`/tasks/${c.consentTask}/documents/matrix/evidence`)],
  ['POST /tasks/{id}/documents/{key}/evidence/accept',              '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/documents/matrix/evidence/accept`)],
  ['POST /tasks/{id}/documents/{key}/evidence/reject',              '401 404 404 404 404 404 404 404 404 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/documents/matrix/evidence/reject`)],
  // Appointments: the consent task is no "choose a time" task (409) for whoever may see it (slots) or complete it (book, move, cancel).
  ['GET /tasks/{id}/slots',                                         '401 404 404 404 404 404 409 404 409 404 409 404 404', (c) => get(`/tasks/${c.consentTask}/slots`)],
  ['POST /tasks/{id}/appointment',                                  '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/appointment`, { slot: { start: '2030-01-07T09:00:00+01:00', end: '2030-01-07T09:30:00+01:00' } })],
  ['POST /tasks/{id}/appointment/move',                             '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/appointment/move`, { slot: { start: '2030-01-07T09:00:00+01:00', end: '2030-01-07T09:30:00+01:00' } })],
  ['POST /tasks/{id}/appointment/cancel',                           '401 404 404 404 404 404 409 404 409 404 403 404 404', (c) => post(`/tasks/${c.consentTask}/appointment/cancel`)],
  // Reassigning and the escalation notices are a supervisor's (see SUPERVISOR_CELLS).
  ['POST /tasks/{id}/reassign',                                     '401 403 403 403 403 403 403 403 403 403 403 403 403', (c) => post(`/tasks/${c.consentTask}/reassign`, { caseworker: 'matrix-caseworker' })],
  ['GET /supervision/notices',                                      '401 403 403 403 403 403 403 403 403 403 403 403 403', () => get('/supervision/notices')],
  // Source events.
  ['POST /events',                                                  '401 403 403 403 403 403 403 403 403 403 403 400 403', () => post('/events', {}, { 'content-type': 'application/cloudevents+json' })],
  ['GET /events/{source}/{id}',                                     '401 403 403 403 403 403 403 403 403 403 404 404 403', () => get(`/events/national-register/${missing}`)],
  // What a citizen has of their own.
  ['GET /me/mandates',                                              '401 403 403 403 403 403 200 200 200 200 403 403 403', () => get('/me/mandates')],
  // Mandates people grant: each citizen grants one to the other parent (never one of the callers); an unknown mandate is not found.
  ['POST /me/mandates',                                             '401 403 403 403 403 403 201 201 201 201 403 403 403', (c) => post('/me/mandates', { holder: { type: 'person', id: c.otherParent }, lifeEvents: ['birth-of-a-child'], access: 'read', validFrom: new Date().toISOString(), validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(), reason: 'matrix' })],
  ['POST /me/mandates/{id}/accept',                                 '401 403 403 403 403 403 404 404 404 404 403 403 403', () => post(`/me/mandates/${missing}/accept`)],
  ['POST /me/mandates/{id}/revoke',                                 '401 403 403 403 403 403 404 404 404 404 403 403 403', () => post(`/me/mandates/${missing}/revoke`, { reason: 'matrix' })],
  ['GET /me/data-access',                                           '401 403 403 403 403 403 200 200 200 200 403 403 403', () => get('/me/data-access')],
  ['GET /me/consents',                                              '401 403 403 403 403 403 200 200 200 200 403 403 403', () => get('/me/consents')],
  ['POST /me/consents/{id}/withdraw',                               '401 403 403 403 403 403 200 404 200 404 403 403 403', (c) => post(`/me/consents/${c.consentId}/withdraw`)],
  ['GET /me/notifications',                                         '401 403 403 403 403 403 200 200 200 200 403 403 403', () => get('/me/notifications')],
  ['POST /me/notifications/{id}/read',                              '401 403 403 403 403 403 404 404 404 404 403 403 403', (c) => post(`/me/notifications/${c.notificationId}/read`)],
  ['GET /me/preferences',                                           '401 403 403 403 403 403 200 200 200 200 403 403 403', () => get('/me/preferences')],
  ['PUT /me/preferences',                                           '401 403 403 403 403 403 200 200 200 200 403 403 403', () => put('/me/preferences', { language: 'nl', channels: ['ecounter'] })],
  // My dossier of a journey: the subject and their mandate holders within the mandate's life events; other citizens get 404, other roles 403.
  ['GET /me/journeys/{id}/export',                                  '401 403 403 403 403 403 200 404 200 404 403 403 403', (c) => get(`/me/journeys/${c.journey}/export`)],
  // Logs and statistics.
  ['GET /data-access',                                              '401 403 403 403 403 403 403 403 403 403 200 403 403', () => get('/data-access')],
  ['GET /audit',                                                    '401 403 403 403 403 403 403 403 403 403 200 403 403', () => get('/audit')],
  ['GET /stats/journeys',                                           '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/stats/journeys')],
  ['GET /stats/service-norms',                                      '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/stats/service-norms')],
  ['GET /stats/automation',                                         '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/stats/automation')],
  ['GET /stats/once-only',                                          '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/stats/once-only')],
  ['GET /stats/objections',                                         '401 200 200 200 200 200 200 200 200 200 200 200 200', () => get('/stats/objections')],
  // Messages: templates by admins, letters by the print service.
  ['POST /notification-templates',                                  '401 201 201 201 403 403 403 403 403 403 403 403 403', (c) => post('/notification-templates', { category: 'decision.made', language: 'en', ...c.template })],
  ['GET /notification-templates',                                   '401 200 200 200 200 200 403 403 403 403 200 403 403', () => get('/notification-templates')],
  ['GET /notification-templates/{category}/{language}',             '401 200 200 200 200 200 403 403 403 403 200 403 403', () => get('/notification-templates/journey.started/nl')],
  ['GET /letters',                                                  '401 403 403 403 200 200 403 403 403 403 200 403 200', () => get('/letters')],
  ['GET /letters/{id}',                                             '401 404 404 404 404 404 404 404 404 404 404 404 404', () => get(`/letters/${missing}`)],
  ['POST /letters/{id}/printed',                                    '401 403 403 403 404 404 403 403 403 403 403 403 404', () => post(`/letters/${missing}/printed`)],
];

/**
 * The two supervisor columns, apart so the table above keeps its shape: a supervisor of
 * growth-package (involved in the journey) and one of bank (not involved). A supervisor reads what
 * the agency's caseworkers read of a journey, sees the agency's tasks (not the citizen's), reads
 * the escalation notices and reassigns caseworker tasks (the consent task is the citizen's: 404);
 * they act on nothing else. Every operation of the table has its cells here.
 */
const SUPERVISORS = ['supervisor', 'other-agency-supervisor'] as const;
//                                                                 supA supB
const SUPERVISOR_CELLS: Record<string, string> = {
  'GET /health':                                                    '200 200',
  'POST /callbacks/sms':                                            '401 401',
  'POST /callbacks/email':                                          '401 401',
  'POST /callbacks/payments':                                       '401 401',
  'POST /codec/encode':                                             '403 403',
  'POST /codec/decode':                                             '403 403',
  'POST /codec/{access}/encode':                                    '401 401',
  'POST /codec/{access}/decode':                                    '401 401',
  'GET /agencies':                                                  '200 200',
  'GET /agencies/{agency}':                                         '200 200',
  'POST /agencies':                                                 '403 403',
  'PUT /agencies/{agency}/endpoint-hosts':                           '403 403',
  'GET /agencies/{agency}/supervisors':                             '200 403',
  'PUT /agencies/{agency}/supervisors':                             '403 403',
  'GET /agencies/{agency}/teams':                                   '200 200',
  'POST /agencies/{agency}/teams':                                  '403 403',
  'GET /agencies/{agency}/steps':                                   '200 200',
  'GET /agencies/{agency}/steps/{key}':                             '200 200',
  'GET /agencies/{agency}/steps/{key}/versions/{version}':          '200 200',
  'POST /agencies/{agency}/steps':                                  '403 403',
  'PUT /agencies/{agency}/steps/{key}/versions/{version}':          '403 403',
  'POST /agencies/{agency}/steps/{key}/versions/{version}/publish': '403 403',
  'POST /agencies/{agency}/steps/{key}/versions/{version}/retire':  '403 403',
  'GET /steps':                                                     '200 200',
  'GET /steps/{key}/offered-by':                                    '200 200',
  'GET /catalog/cpsv-ap':                                           '200 200',
  'GET /event-types':                                              '200 200',
  'GET /event-types/{type}':                                       '200 200',
  'POST /event-types':                                             '403 403',
  'GET /life-events':                                               '200 200',
  'GET /life-events/{key}':                                         '200 200',
  'GET /life-events/{key}/versions/{version}':                      '200 200',
  'POST /life-events':                                              '403 403',
  'PUT /life-events/{key}/versions/{version}':                      '403 403',
  'POST /life-events/{key}/versions/{version}/publish':             '403 403',
  'POST /life-events/{key}/versions/{version}/retire':              '403 403',
  'GET /life-events/{key}/preview':                                 '200 200',
  'GET /sources':                                                   '200 200',
  'GET /sources/{source}':                                          '200 200',
  'POST /journeys':                                                 '403 403',
  'GET /journeys':                                                  '403 403',
  'GET /journeys/{id}':                                             '200 404',
  'POST /journeys/{id}/cancel':                                     '403 404',
  'POST /journeys/{id}/steps/{step}/retry':                         '403 404',
  'POST /journeys/{id}/steps/{step}/skip':                          '403 404',
  'GET /journeys/{id}/decisions':                                   '200 404',
  'GET /journeys/{id}/documents':                                   '200 404',
  'GET /journeys/{id}/documents/{documentId}':                      '404 404',
  'GET /journeys/{id}/objections':                                  '200 404',
  'POST /journeys/{id}/decisions/{node}/objections':                '403 403',
  'POST /journeys/{id}/decisions/{node}/objection/review':          '403 403',
  'POST /journeys/{id}/decisions/{node}/appeals':                   '403 403',
  'POST /journeys/{id}/decisions/{node}/appeal/decision':           '403 403',
  'POST /journeys/{id}/decisions/{node}/override':                  '403 403',
  'POST /journeys/{id}/steps/{node}/request-information':           '403 403',
  'POST /journeys/{id}/steps/{node}/extend':                        '403 403',
  'POST /journeys/{id}/steps/{node}/payment':                       '403 403',
  'GET /journeys/{id}/data-access':                                 '200 404',
  'GET /journeys/{id}/data-use':                                    '200 404',
  'GET /journeys/{id}/steps/{node}/data':                           '403 403',
  'GET /journeys/{id}/notifications':                               '200 404',
  'GET /tasks':                                                     '200 200',
  'GET /tasks/{id}':                                                '404 404',
  'POST /tasks/{id}/claim':                                         '404 404',
  'POST /tasks/{id}/release':                                       '404 404',
  'POST /tasks/{id}/complete':                                      '404 404',
  'POST /tasks/{id}/documents':                                     '404 404',
  'POST /tasks/{id}/documents/{key}/evidence':                      '404 404',
  'GET /tasks/{id}/evidence':                                       '404 404',
  'GET /tasks/{id}/documents/{key}/evidence':                       '404 404',
  'POST /tasks/{id}/documents/{key}/evidence/accept':               '404 404',
  'POST /tasks/{id}/documents/{key}/evidence/reject':               '404 404',
  'GET /tasks/{id}/slots':                                          '404 404',
  'POST /tasks/{id}/appointment':                                   '404 404',
  'POST /tasks/{id}/appointment/move':                              '404 404',
  'POST /tasks/{id}/appointment/cancel':                            '404 404',
  'POST /tasks/{id}/reassign':                                      '404 404',
  'GET /supervision/notices':                                       '200 200',
  'POST /events':                                                   '403 403',
  'GET /events/{source}/{id}':                                      '403 403',
  'GET /me/mandates':                                               '403 403',
  'POST /me/mandates':                                              '403 403',
  'POST /me/mandates/{id}/accept':                                  '403 403',
  'POST /me/mandates/{id}/revoke':                                  '403 403',
  'GET /me/data-access':                                            '403 403',
  'GET /me/consents':                                               '403 403',
  'POST /me/consents/{id}/withdraw':                                '403 403',
  'GET /me/notifications':                                          '403 403',
  'POST /me/notifications/{id}/read':                               '403 403',
  'GET /me/preferences':                                            '403 403',
  'PUT /me/preferences':                                            '403 403',
  'GET /me/journeys/{id}/export':                                   '403 403',
  'GET /data-access':                                               '403 403',
  'GET /audit':                                                     '403 403',
  'GET /stats/journeys':                                            '200 200',
  'GET /stats/objections':                                          '200 200',
  'GET /stats/service-norms':                                       '200 200',
  'GET /stats/automation':                                          '200 200',
  'GET /stats/once-only':                                           '200 200',
  'POST /notification-templates':                                   '403 403',
  'GET /notification-templates':                                    '403 403',
  'GET /notification-templates/{category}/{language}':              '403 403',
  'GET /letters':                                                   '403 403',
  'GET /letters/{id}':                                              '404 404',
  'POST /letters/{id}/printed':                                     '403 403',
};

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let ctx: Context;
const apis = new Map<Caller | (typeof SUPERVISORS)[number], Api>();

async function birthJourney(parents: string[], auditor: Api) {
  const published = await sandboxRequest(stack, 'POST', '/_sandbox/events/births', { parents });
  const child: string = published.event.data.child.nationalNumber;
  const journey = await pollUntil(`journey of ${child}`, async () => {
    const res = await auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
    return res.body?.items?.length === 1 ? res.body.items[0] : undefined;
  });
  return { child, journey: journey.id as string };
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_matrix');
  stack = await startStack(db.url, 'matrix');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  const examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
  const parents: string[] = examples.flemishCouple.parents;
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'matrix-auditor' }));
  const birth = await birthJourney(parents, auditor);
  const spare = await birthJourney(examples.brusselsCouple.parents, auditor);
  // A representative whose mandate for the child covers another life event only.
  const outsider: string = examples.elderlyPerson;
  const owner = new Client({ connectionString: db.url });
  await owner.connect();
  try {
    await owner.query(
      `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, access, life_events) VALUES ($1, 'person', $2, 'representative', 'matrix', 'act', ARRAY['starting-a-business'])`,
      [outsider, birth.child],
    );
  } finally {
    await owner.end();
  }
  const tokens: Record<Exclude<Caller, 'anonymous'>, Record<string, unknown>> = {
    'catalog-admin': { role: 'catalog-admin', sub: 'matrix-catalog-admin' },
    'agency-admin': { role: 'agency-admin', agency: 'growth-package', sub: 'matrix-agency-admin' },
    'other-agency-admin': { role: 'agency-admin', agency: 'bank', sub: 'matrix-other-agency-admin' },
    caseworker: { role: 'caseworker', agency: 'growth-package', sub: 'matrix-caseworker' },
    'uninvolved-caseworker': { role: 'caseworker', agency: 'bank', sub: 'matrix-uninvolved-caseworker' },
    subject: { role: 'citizen', nationalNumber: birth.child, sub: 'matrix-subject' },
    'other-citizen': { role: 'citizen', nationalNumber: examples.soleTrader.nationalNumber, sub: 'matrix-other-citizen' },
    'mandate-holder': { role: 'citizen', nationalNumber: parents[0], sub: 'matrix-mandate-holder' },
    'out-of-scope-holder': { role: 'citizen', nationalNumber: outsider, sub: 'matrix-out-of-scope-holder' },
    auditor: { role: 'auditor', sub: 'matrix-auditor' },
    source: { role: 'source', source: 'national-register', sub: 'matrix-source' },
    'print-service': { role: 'print-service', sub: 'matrix-print-service' },
  };
  apis.set('anonymous', stack.api);
  for (const [who, claims] of Object.entries(tokens)) apis.set(who as Caller, stack.api.as(await stack.token(claims)));
  apis.set('supervisor', stack.api.as(await stack.token({ role: 'supervisor', agency: 'growth-package', sub: 'matrix-supervisor' })));
  apis.set('other-agency-supervisor', stack.api.as(await stack.token({ role: 'supervisor', agency: 'bank', sub: 'matrix-other-agency-supervisor' })));
  const parent = apis.get('mandate-holder')!;
  const consentTask = await pollUntil('the consent task of the home visit', async () => {
    const res = await parent.get('/tasks?view=open');
    return res.body?.items?.find((t: any) => t.journeyId === birth.journey && t.purpose === 'consent');
  });
  const consentId = await pollUntil('a consent', async () => {
    // The parent consents, so that there is a consent to withdraw.
    await parent.post(`/tasks/${consentTask.id}/complete`, { consents: { 'national-register/contact.phone': true } });
    return (await parent.get('/me/consents')).body?.items?.find((c: any) => c.journeyId === birth.journey)?.id;
  });
  const standard = (await apis.get('catalog-admin')!.get('/notification-templates/decision.made/en')).body;
  const template = { subject: standard.subject, body: standard.body, sms: standard.sms };
  const growthHosts: string[] = (await apis.get('catalog-admin')!.get('/agencies/growth-package')).body.endpointHosts;
  expect(Array.isArray(growthHosts)).toBe(true);
  ctx = { journey: birth.journey, spare: spare.journey, child: birth.child, parent: parents[0], otherParent: parents[1], consentTask: consentTask.id, consentId, growthHosts, notificationId: missing, template, run: randomUUID().slice(0, 6) };
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const cells = (expected: string) => expected.trim().split(/\s+/);

test('every operation × every caller gets the answer its rule gives (and every operation has a rule)', async () => {
  const document = (await stack.api.get('/openapi.json')).body;
  const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) =>
    Object.keys(item).filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`),
  );
  const rows = new Map(TABLE.map((row) => [row[0], row]));
  expect({ withoutRow: operations.filter((o) => !rows.has(o)).sort(), rowWithoutOperation: TABLE.map((r) => r[0]).filter((o) => !operations.includes(o)) }).toEqual({ withoutRow: [], rowWithoutOperation: [] });

  const wrong: string[] = [];
  const observed: string[] = [];
  for (const [operation, expected, request] of TABLE) {
    const want = cells(expected);
    expect(want).toHaveLength(CALLERS.length);
    const got: string[] = [];
    for (const [i, who] of CALLERS.entries()) {
      const r = request(ctx, who);
      const res = await apis.get(who)!.request(r.method, r.path, r.body, r.headers);
      const v = String(res.status);
      got.push(v);
      if (v !== want[i]) wrong.push(`${operation} as ${who}: expected ${want[i]}, got ${res.status} ${typeof res.body === 'object' ? (res.body?.detail ?? '') : ''}`.slice(0, 300));
    }
    observed.push(`${operation.padEnd(64)} ${got.join(' ')}`);
  }
  console.log(`[matrix] ${TABLE.length} operations × ${CALLERS.length} callers = ${TABLE.length * CALLERS.length} cells\n${observed.join('\n')}`);
  expect(wrong).toEqual([]);

  // The supervisors' columns: every operation has its cells, each the exact status.
  expect(TABLE.map((r) => r[0]).filter((o) => !(o in SUPERVISOR_CELLS))).toEqual([]);
  const supervisorWrong: string[] = [];
  const supervisorObserved: string[] = [];
  for (const [operation, , request] of TABLE) {
    const want = cells(SUPERVISOR_CELLS[operation]);
    expect(want).toHaveLength(SUPERVISORS.length);
    const got: string[] = [];
    for (const [i, who] of SUPERVISORS.entries()) {
      const r = request(ctx, 'auditor');
      const res = await apis.get(who)!.request(r.method, r.path, r.body, r.headers);
      got.push(String(res.status));
      if (String(res.status) !== want[i]) supervisorWrong.push(`${operation} as ${who}: expected ${want[i]}, got ${res.status} ${typeof res.body === 'object' ? (res.body?.detail ?? '') : ''}`.slice(0, 300));
    }
    supervisorObserved.push(`${operation.padEnd(64)} ${got.join(' ')}`);
  }
  console.log(`[matrix] supervisors\n${supervisorObserved.join('\n')}`);
  expect(supervisorWrong).toEqual([]);
  // The matrix changes no agency's endpoint hosts (later steps of the running journeys call them).
  expect((await apis.get('catalog-admin')!.get('/agencies/growth-package')).body.endpointHosts).toEqual(ctx.growthHosts);
});
