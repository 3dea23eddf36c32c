import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LanguageQuery } from '../data-access/reading';

export const DOSSIER_FORMATS = ['pdf', 'json'] as const;

export class DossierQuery extends LanguageQuery {
  @ApiPropertyOptional({ enum: DOSSIER_FORMATS, description: 'pdf or json; wins over the Accept header (a link or a download that cannot set headers)' })
  @IsOptional()
  @IsIn(DOSSIER_FORMATS as unknown as string[], { message: 'format must be pdf or json' })
  format?: (typeof DOSSIER_FORMATS)[number];
}

const coded = { type: 'object', required: ['code', 'label'], properties: { code: { type: 'string' }, label: { type: 'string' } } };
const agency = { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string' }, name: { type: 'string' } } };
const legalBasis = { type: 'object', required: ['type', 'reference', 'explanation'], properties: { type: { type: 'string' }, reference: { type: 'string' }, explanation: { type: 'string' } } };
const dateTime = { type: 'string', format: 'date-time' };
const stage = {
  type: 'object',
  required: ['status', 'reason', 'filedAt'],
  properties: { status: coded, reason: { type: 'string' }, filedAt: dateTime, closedAt: dateTime, outcome: coded, explanation: { type: 'string' } },
};

/** The JSON form of the dossier (the content the PDF shows), for the OpenAPI document. */
export const DOSSIER_SCHEMA = {
  type: 'object',
  required: ['format', 'language', 'generatedAt', 'title', 'requestedBy', 'journey', 'steps', 'decisions', 'dataUsed', 'dataAccess', 'messages', 'documents'],
  properties: {
    format: { type: 'string', example: 'levensloop.dossier/1' },
    language: { type: 'string', enum: ['nl', 'fr', 'de', 'en'] },
    generatedAt: dateTime,
    title: { type: 'string', example: 'My file: Birth of a child' },
    requestedBy: { ...coded, description: 'subject: the person the file is about; representative: a holder of a mandate for them' },
    journey: {
      type: 'object',
      required: ['id', 'lifeEvent', 'subject', 'status', 'startedAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        lifeEvent: { type: 'object', properties: { key: { type: 'string' }, version: { type: 'integer' }, title: { type: 'string' } } },
        subject: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
        status: coded,
        startedAt: dateTime,
        endedAt: dateTime,
        cancelReason: { type: 'string' },
      },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['node', 'title', 'agency', 'status'],
        properties: { node: { type: 'string' }, title: { type: 'string' }, agency, status: coded, startedAt: dateTime, dueAt: dateTime, completedAt: dateTime, outcome: { ...coded, properties: { ...coded.properties, comment: { type: 'string' } } } },
      },
    },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['node', 'step', 'agency', 'rule', 'outcome', 'decided'],
        properties: {
          node: { type: 'string' },
          step: { type: 'string' },
          agency,
          rule: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' } } },
          outcome: { ...coded, description: 'What holds now: a revision, else an override, else the rule’s outcome' },
          decided: { type: 'object', properties: { outcome: coded, at: dateTime, explanation: { type: 'string', description: 'The explanation in the reader’s language' } } },
          override: { type: 'object', properties: { outcome: coded, reason: { type: 'string' }, at: dateTime } },
          objection: stage,
          appeal: stage,
        },
      },
    },
    dataUsed: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          step: { type: 'string' },
          node: { type: 'string' },
          source: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } },
          field: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } },
          origin: coded,
          at: dateTime,
          purpose: { type: 'string' },
          legalBasis,
        },
      },
    },
    dataAccess: {
      type: 'object',
      required: ['items', 'complete'],
      properties: {
        complete: { type: 'boolean', description: 'false when older entries were left out (GET /journeys/{id}/data-access lists them all)' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              at: dateTime,
              who: coded,
              agency,
              step: { type: 'string' },
              source: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } },
              fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, title: { type: 'string' } } } },
              purpose: { type: 'string' },
              legalBasis,
              outcome: coded,
            },
          },
        },
      },
    },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          at: dateTime,
          category: { type: 'object', properties: { code: { type: 'string' }, title: { type: 'string' } } },
          subject: { type: 'string', description: 'The subject line it went out with' },
          channels: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, label: { type: 'string' }, status: coded, sentAt: dateTime } } },
        },
      },
    },
    documents: {
      type: 'array',
      description: 'Listed, never their content (download each at GET /journeys/{id}/documents/{documentId})',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, title: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' }, size: { type: 'integer' }, uploadedAt: dateTime, step: { type: 'string' } },
      },
    },
  },
};
