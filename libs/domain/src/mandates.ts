/** `read`: see the subject's journeys (and what they hold); `act`: also complete tasks and consent. When a mandate counts is the Mandates repository's (libs/persistence). */
export type MandateAccess = 'read' | 'act';
